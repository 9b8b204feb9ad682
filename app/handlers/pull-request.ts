import type { PullRequest } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { startGatedTask } from "../task/start-gated-task.ts";

/**
 * `pull_request.opened` / `ready_for_review`: a review task when `automations.reviewPullRequests`
 * asks for it. Authors below the minimum are skipped without a comment: opening a PR is not a request
 * to the agent, so a refusal there would be noise.
 */
export async function handlePullRequest(deps: Deps, payload: PullRequest): Promise<Outcome> {
  const { pull_request, repository, sender } = payload;
  if (pull_request.draft) return "ignored";
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) {
    deps.log.warn(
      { repo: `${repo.owner}/${repo.name}` },
      "invalid .github/agent.yml; pull request not reviewed",
    );
    return "invalid-config";
  }
  const config = loaded.parsed.value;
  if (!config.automations.reviewPullRequests) return "ignored";
  return startGatedTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number: pull_request.number,
    kind: "review",
    actor: sender,
    doing: "request a review",
    config,
  });
}
