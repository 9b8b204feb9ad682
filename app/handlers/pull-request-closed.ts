import type { PullRequestClosed } from "../payloads.ts";
import type { Deps, Outcome } from "../types.ts";

/**
 * `pull_request.closed`: when the PR is one an agent run opened, its record says merged or closed.
 * "Merged" is the number teams care about; every other PR is none of the App's business.
 */
export async function handlePullRequestClosed(deps: Deps, payload: PullRequestClosed): Promise<Outcome> {
  if (!deps.recorder) return "ignored";
  const { pull_request: pull, repository } = payload;
  const at = pull.closed_at ? new Date(pull.closed_at) : deps.now();
  await deps.recorder.pullClosed(
    { owner: repository.owner.login, name: repository.name },
    pull.number,
    pull.merged === true,
    at,
  );
  return "logged";
}
