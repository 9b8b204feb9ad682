import { expect, it } from "vitest";
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

/**
 * A task that ended without publishing: no pull request in `repo`, and one status comment on the
 * thread, "failed" (the runs' logs are the message when it is not). Returns the status's text.
 */
export function expectFailedWithoutPr(system: WholeSystem, repo: RepoRecord, issue: IssueRecord): string {
  expect(system.github.pulls(repo)).toEqual([]);
  const statuses = statusComments(system, issue);
  expect(
    statuses.map((s) => s.marker.state),
    runLogs(system),
  ).toEqual(["failed"]);
  return statuses[0]!.text;
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
  expect(leakedTokens(system)).toEqual([]);
}

/**
 * The scenarios of a whole-system suite: tests with the suite's time limit that, once their own
 * assertions passed, end as every scenario does: each scripted model reply used, and a clean system
 * (expectCleanSystem) for the repository the scenario returns, else the suite's. `suite` names
 * the system and repository, which exist only once the suite's beforeAll has run.
 */
export function cleanScenarios(
  suite: () => { system: WholeSystem; repo?: RepoRecord },
  timeoutMs: number,
): (title: string, body: () => Promise<void> | Promise<RepoRecord>) => void {
  return (title, body) =>
    it(
      title,
      async () => {
        const other = await body();
        const { system, repo } = suite();
        expect(system.model.remaining, "scripted model replies left unused").toBe(0);
        const checked = other ?? repo;
        if (!checked) throw new Error("a scenario of a suite without one repository returns the one it used");
        await expectCleanSystem(system, checked);
      },
      timeoutMs,
    );
}

/** Places a GitHub token must never reach: anything sent to the model, any comment, PR, or review text. */
export function leakedTokens(system: WholeSystem): string[] {
  const { state } = system.github;
  const texts = [
    ...system.model.requests.map((request) => request.raw),
    ...state.comments.map((comment) => comment.body),
    ...state.issues.map((issue) => `${issue.title}\n${issue.body ?? ""}`),
    ...state.reviews.map((review) => review.body),
    ...state.reviewComments.map((comment) => comment.body),
  ];
  return system.github.credentials.issued().filter((token) => texts.some((text) => text.includes(token)));
}

/** A failing run's logs, so a red scenario says why without rerunning it. */
export function runLogs(system: WholeSystem): string {
  return system.runner.results
    .map((result) => `--- run ${result.run.id} (${result.how}, exit ${result.main.exitCode})\n${result.log}`)
    .join("\n");
}

/** Waits until the model has received `count` requests in all, naming what the run printed if it never does. */
export async function waitForModelRequests(system: WholeSystem, count: number, runId: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (system.model.requests.length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `the model got ${system.model.requests.length} of ${count} requests; run ${runId} printed:\n${system.runner.outputSoFar(runId)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
