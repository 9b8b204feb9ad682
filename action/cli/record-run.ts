/**
 * `inhouse run --record <DATABASE_URL>`: the local run written into a team's run history (the
 * PostgreSQL server the App uses), once it has ended, through the same recording API as the App.
 * The store is opened before the agent starts, so a wrong URL fails in a second, not after the run.
 */
import { randomUUID } from "node:crypto";
import { basename } from "node:path";
import type { UsageRecord } from "../../core/usage-record.ts";
import { openPostgres } from "../../store/open-postgres.ts";
import { migrated } from "../../store/open-store.ts";
import { type RepoName, RunHistory } from "../../store/run-history.ts";
import type { Store } from "../../store/store.ts";
import { git } from "../workspace/git.ts";

export interface LocalRunEnd {
  state: "succeeded" | "failed" | "cancelled";
  reason: string;
  usage?: UsageRecord;
}

export interface LocalRunStart {
  repo: RepoName;
  kind: string;
  actor: string;
  at: Date;
}

/** The run history at `url`, migrated like the App's (it may be the first writer). */
export async function openRecording(url: string): Promise<Store> {
  return migrated(await openPostgres(url, 2));
}

/**
 * The name the dashboard shows a local run under: the GitHub `owner/name` of the repository's
 * `origin` when it has one (so readers of that repository see it), else `local/<directory>`.
 */
export async function localRepoName(root: string): Promise<RepoName> {
  const origin = (await git(["-C", root, "remote", "get-url", "origin"]).catch(() => ({ stdout: "" })))
    .stdout;
  const match = /[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(origin.trim());
  if (match?.[1] && match[2]) return { owner: match[1], name: match[2] };
  return { owner: "local", name: basename(root) };
}

export async function recordLocalRun(store: Store, start: LocalRunStart, end: LocalRunEnd): Promise<string> {
  const key = `cli:${randomUUID()}`;
  await new RunHistory(store.db).recordFinishedRun(
    {
      key,
      source: "cli",
      repo: start.repo,
      kind: start.kind,
      actor: start.actor,
      event: "cli",
      at: start.at,
    },
    { state: end.state, reason: end.reason, ...(end.usage ? { usage: end.usage } : {}) },
  );
  return key;
}
