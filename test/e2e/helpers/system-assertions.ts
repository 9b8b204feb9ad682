import { expect } from "vitest";
import { parseStatusMarker, type StatusMarker, statusText } from "../../../core/status-marker.ts";
import type { CommentRecord, IssueRecord, RepoRecord } from "../local-github/state.ts";
import type { WholeSystem } from "./whole-system.ts";

export interface StatusComment {
  comment: CommentRecord;
  marker: StatusMarker;
  text: string;
}

/** The App's status comments on a thread (comments by the App's bot carrying a valid marker). */
export function statusComments(system: WholeSystem, issue: IssueRecord): StatusComment[] {
  const bot = system.github.credentials.botLogin;
  return system.github
    .commentsOn(issue)
    .filter((comment) => comment.user.login === bot)
    .flatMap((comment) => {
      const marker = parseStatusMarker(comment.body);
      return marker ? [{ comment, marker, text: statusText(comment.body) }] : [];
    });
}

/** Comments by the App's bot without a status marker (refusals, help). */
export function plainBotComments(system: WholeSystem, issue: IssueRecord): CommentRecord[] {
  const bot = system.github.credentials.botLogin;
  return system.github
    .commentsOn(issue)
    .filter((comment) => comment.user.login === bot && parseStatusMarker(comment.body) === undefined);
}

/**
 * What every scenario ends with: no request the local GitHub could not match to GitHub's API, no
 * App handler error, no force push or push to the default branch, and no sandbox left for the repo.
 */
export async function expectCleanSystem(system: WholeSystem, repo: RepoRecord): Promise<void> {
  expect(system.github.violations()).toEqual([]);
  expect(system.app.errors).toEqual([]);
  const pushes = system.github.pushes().filter((push) => push.repo === `${repo.owner.login}/${repo.name}`);
  expect(pushes.filter((push) => push.forced)).toEqual([]);
  expect(pushes.filter((push) => push.ref === `refs/heads/${repo.defaultBranch}`)).toEqual([]);
  expect(await system.containers(repo.name)).toEqual([]);
}

/** A failing run's logs, so a red scenario says why without rerunning it. */
export function runLogs(system: WholeSystem): string {
  return system.runner.results
    .map((result) => `--- run ${result.run.id} (${result.how}, exit ${result.main.exitCode})\n${result.log}`)
    .join("\n");
}
