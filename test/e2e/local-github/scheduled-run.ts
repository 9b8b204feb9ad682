import type { RouteContext } from "./context.ts";
import { resolveBranchOrSha } from "./git-repos.ts";
import { newRun } from "./new-run.ts";
import type { RepoRecord, RunRecord } from "./state.ts";
import { readWorkflowFile } from "./workflow-file.ts";

/**
 * GitHub's scheduler firing one of the workflow's `on.schedule` crons: a run on the default
 * branch's head with `event: schedule` and `github.event.schedule` set. GitHub runs it as "the
 * user who last modified the cron syntax in the workflow file" (`by`), with no inputs.
 * https://docs.github.com/actions/reference/workflows-and-actions/events-that-trigger-workflows#schedule
 */
export async function scheduledRun(
  ctx: RouteContext,
  repo: RepoRecord,
  file: string,
  by: string,
  cron?: string,
): Promise<RunRecord> {
  const branch = repo.defaultBranch;
  const sha = await resolveBranchOrSha(repo.gitDir, branch);
  const workflow = sha ? await readWorkflowFile(repo.gitDir, sha, file) : undefined;
  if (!sha || !workflow) throw new Error(`no .github/workflows/${file} on ${branch} to schedule`);
  const schedule = cron ?? workflow.schedules[0];
  if (schedule === undefined || !workflow.schedules.includes(schedule)) {
    throw new Error(
      `.github/workflows/${file} has no on.schedule cron ${JSON.stringify(cron ?? "")}; GitHub would never start this run`,
    );
  }
  return newRun(ctx, {
    repo,
    file,
    workflow,
    sha,
    branch,
    event: "schedule",
    actor: ctx.state.user(by),
    inputs: {},
    eventPayload: { schedule },
  });
}
