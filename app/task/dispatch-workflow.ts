import { findDispatchedRun as findRunByTag } from "../../core/github/dispatched-run.ts";
import { githubMessage, httpStatus } from "../../core/github/http-status.ts";
import type { GitHubRequest } from "../../core/github/octokit-shape.ts";
import type { GitHub, RunRef } from "../deps/types.ts";
import { type DispatchProblem, type DispatchTarget, dispatchAdvice } from "../texts/dispatch-advice.ts";

export type DispatchResult =
  | { ok: true; run?: RunRef }
  | { ok: false; problem: DispatchProblem; advice: string };

interface RunDetails {
  workflow_run_id?: number;
  run_url?: string;
  html_url?: string;
}

/**
 * Starts the agent workflow with the single `task` input. Newer GitHub answers 200 with the run;
 * older servers answer 204, and then the run is looked up.
 */
export async function dispatchWorkflow(
  octokit: GitHub,
  target: DispatchTarget,
  task: string,
  statusCommentId: number,
  now: () => Date,
): Promise<DispatchResult> {
  // A little slack: the runs list filters on GitHub's clock, not ours.
  const since = new Date(now().getTime() - 60_000);
  let response: { status: number; data: unknown };
  try {
    response = await dispatch(octokit, target, task, true);
  } catch (error) {
    // A server that predates run details may reject the unknown parameter instead of ignoring it.
    if (httpStatus(error) !== 422 || !/return_run_details/.test(githubMessage(error))) {
      return { ok: false, ...dispatchAdvice(error, target) };
    }
    try {
      response = await dispatch(octokit, target, task, false);
    } catch (retryError) {
      return { ok: false, ...dispatchAdvice(retryError, target) };
    }
  }
  const details = (response.data ?? {}) as RunDetails;
  const repo = `${target.owner}/${target.name}`;
  if (response.status === 200 && typeof details.workflow_run_id === "number") {
    return {
      ok: true,
      run: { id: details.workflow_run_id, repo, ...(details.html_url ? { url: details.html_url } : {}) },
    };
  }
  const run = await findDispatchedRun(octokit, target, statusCommentId, since);
  return { ok: true, ...(run ? { run } : {}) };
}

function dispatch(octokit: GitHub, target: DispatchTarget, task: string, runDetails: boolean) {
  return octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
    owner: target.owner,
    repo: target.name,
    workflow_id: target.workflow,
    ref: target.ref,
    inputs: { task },
    ...(runDetails ? { return_run_details: true } : {}),
  });
}

/**
 * Fallback for servers without run details: the run naming this status comment in its run-name tag;
 * when runs carry no tag (an older workflow), the newest workflow_dispatch run since the dispatch.
 */
export async function findDispatchedRun(
  octokit: GitHub,
  target: DispatchTarget,
  statusCommentId: number,
  since: Date,
): Promise<RunRef | undefined> {
  const lookup = await findRunByTag(
    octokit.request as GitHubRequest,
    { owner: target.owner, repo: target.name, workflow_id: target.workflow },
    statusCommentId,
    since,
  );
  const run = lookup.kind === "found" ? lookup.run : lookup.kind === "untagged" ? lookup.newest : undefined;
  return run ? { id: run.id, repo: `${target.owner}/${target.name}`, url: run.html_url } : undefined;
}
