import { parseRunName } from "../../core/status-marker.ts";
import type { GitHub } from "../types.ts";
import { type DispatchProblem, type DispatchTarget, dispatchAdvice } from "./dispatch-advice.ts";
import { githubMessage, httpStatus } from "./http-status.ts";

export interface RunRef {
  id: number;
  repo: string;
  url?: string;
}

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
 * Fallback for servers without run details: the newest workflow_dispatch run since the dispatch.
 * When runs carry the inhouse run-name tag, only the one naming this status comment counts, so a
 * busy repository cannot hand us another task's run.
 */
export async function findDispatchedRun(
  octokit: GitHub,
  target: DispatchTarget,
  statusCommentId: number,
  since: Date,
): Promise<RunRef | undefined> {
  const { data } = await octokit.rest.actions.listWorkflowRuns({
    owner: target.owner,
    repo: target.name,
    workflow_id: target.workflow,
    event: "workflow_dispatch",
    created: `>=${since.toISOString()}`,
    per_page: 20,
  });
  const runs = [...data.workflow_runs].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  const tagged = runs.filter((run) => parseRunName(run.display_title ?? "") !== undefined);
  const ours =
    tagged.length > 0
      ? tagged.find((run) => parseRunName(run.display_title ?? "")?.statusCommentId === statusCommentId)
      : runs[0];
  return ours ? { id: ours.id, repo: `${target.owner}/${target.name}`, url: ours.html_url } : undefined;
}
