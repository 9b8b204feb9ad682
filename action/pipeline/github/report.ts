import type { UsageRecord } from "../../../core/usage-record.ts";
import { explainGitHubError } from "../../github/github-failure.ts";
import { Cancelled, messageOf, Refusal } from "../../job/task-errors.ts";
import { withBlockedHosts } from "../../sandbox/egress/egress-log.ts";
import { usageRecord } from "../../summary/usage-record.ts";
import type { GitHubRun } from "./github-run.ts";

/** The usage record the final status marker carries into the App's run history. */
async function usage(run: GitHubRun): Promise<UsageRecord> {
  const { result, outcome, link, sandbox } = run;
  return usageRecord({
    ...(result ? { result } : {}),
    state: outcome.state,
    phases: run.clock.list(),
    ...run.spend,
    ...(link ? { link } : {}),
    ...(outcome.prNumber ? { prNumber: outcome.prNumber } : {}),
    ...(await sandbox
      ?.egressReport?.()
      .then((egress) => ({ egress }))
      .catch(() => ({}))),
    runner: run.settings.env.runnerName,
  });
}

/** The status comment's last word on a published task. */
export async function reportSucceeded(run: GitHubRun): Promise<void> {
  run.outcome.state = "succeeded";
  run.clock.stop();
  await run.status.finish("succeeded", run.outcome.message, await usage(run));
}

/** The status comment's last word on a task that did not publish: cancelled, refused or failed, and why. */
export async function reportFailed(run: GitHubRun, error: unknown): Promise<void> {
  const { outcome, status } = run;
  const phase = run.clock.currentPhase ?? "starting";
  run.clock.stop();
  if (error instanceof Cancelled || run.signal?.aborted) {
    outcome.state = "cancelled";
    outcome.message = "cancelled: the workflow run was cancelled, so nothing was published";
    await status.finish("cancelled", outcome.message, await usage(run));
  } else if (error instanceof Refusal) {
    outcome.state = "refused";
    outcome.message = `refused: ${error.message}`;
    await status.finish("refused", outcome.message, await usage(run));
  } else {
    outcome.state = "failed";
    outcome.message = await withBlockedHosts(
      `failed while ${phase}: ${explainGitHubError(error) ?? messageOf(error)}`,
      run.sandbox,
    );
    await status.finish(
      "failed",
      `${outcome.message}\n\nNothing was pushed under a misleading name. Fix the cause above and run the command again; the workflow run has the full log.`,
      await usage(run),
    );
  }
}
