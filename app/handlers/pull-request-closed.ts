import type { PullRequestClosed } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { followUpMergedPull } from "./pull-request-merged.ts";

/**
 * `pull_request.closed`: when the PR is one an agent run opened, its record says merged or closed
 * ("merged" is the number teams care about); a merge also starts the merge follow-up automation,
 * when the repository has one.
 */
export async function handlePullRequestClosed(deps: Deps, payload: PullRequestClosed): Promise<Outcome> {
  await recordClosed(deps, payload);
  return followUpMergedPull(deps, payload);
}

async function recordClosed(deps: Deps, payload: PullRequestClosed): Promise<void> {
  if (!deps.recorder) return;
  const { pull_request: pull, repository } = payload;
  const at = pull.closed_at ? new Date(pull.closed_at) : deps.now();
  await deps.recorder.pullClosed(
    { owner: repository.owner.login, name: repository.name },
    pull.number,
    pull.merged === true,
    at,
  );
}
