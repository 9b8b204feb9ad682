import type { RouteContext } from "./context.ts";
import { resolveRef } from "./git-repos.ts";
import { newRun } from "./new-run.ts";
import type { PullIssue } from "./shapes/pull.ts";
import type { RunRecord } from "./state.ts";
import { readWorkflowFile } from "./workflow-file.ts";

/**
 * GitHub starting a workflow for a pull request (`on: pull_request`): a run in the base repository
 * with `event: pull_request`, as the pull request's author, of the workflow as the pull request has
 * it, so a fork's pull request can bring a workflow file of its own ("GITHUB_SHA: Last merge commit
 * on the GITHUB_HEAD_REF branch";
 * https://docs.github.com/actions/reference/workflows-and-actions/events-that-trigger-workflows#pull_request).
 * The merge commit carries the head's version of a file the pull request changes, so the head is
 * read here (there is no merge ref). Without `run-name` the run is titled with the pull request's
 * title ("for a workflow triggered by a push or pull_request event, it is set as the commit message
 * or the title of the pull request";
 * https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#run-name).
 * The approval GitHub may ask before running a first-time contributor's fork is not modelled: the
 * run starts as if approved.
 */
export async function pullRequestRun(ctx: RouteContext, pull: PullIssue, file: string): Promise<RunRecord> {
  const { repo } = pull;
  const sha = await resolveRef(repo.gitDir, `refs/pull/${pull.number}/head`);
  const workflow = sha ? await readWorkflowFile(repo.gitDir, sha, file) : undefined;
  if (!sha || !workflow) throw new Error(`pull request #${pull.number} has no .github/workflows/${file}`);
  if (!workflow.hasPullRequest) {
    throw new Error(`.github/workflows/${file} has no on.pull_request; GitHub would never start this run`);
  }
  return newRun(ctx, {
    repo,
    file,
    workflow,
    sha,
    branch: pull.pull.headRef,
    event: "pull_request",
    actor: pull.user,
    inputs: {},
    eventPayload: { number: pull.number },
    defaultTitle: pull.title,
  });
}
