import type { Migration } from "kysely";
import * as runs from "./0001-runs.ts";
import * as sessions from "./0002-sessions.ts";
import * as spendByName from "./0003-spend-by-name.ts";
import * as runWeeks from "./0004-run-weeks.ts";
import * as evalResults from "./0005-eval-results.ts";
import * as slackReplies from "./0006-slack-replies.ts";
import * as oidcTokenUses from "./0007-oidc-token-uses.ts";

/**
 * Every migration, by name, in order. Imported statically (not read from a folder) so the App, the
 * CLI bundle and the tests run the same list. A new migration gets the next number; never edit one
 * that has shipped.
 */
export const migrations: Record<string, Migration> = {
  "0001-runs": runs,
  "0002-sessions": sessions,
  "0003-spend-by-name": spendByName,
  "0004-run-weeks": runWeeks,
  "0005-eval-results": evalResults,
  "0006-slack-replies": slackReplies,
  "0007-oidc-token-uses": oidcTokenUses,
};
