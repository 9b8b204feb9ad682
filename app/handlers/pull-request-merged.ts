import type { PullRequestClosed } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { startGatedTask } from "../task/start-gated-task.ts";

/**
 * A merged pull request with an automation on `event: merged-pull-request`: that automation's task,
 * on the merged PR (its status comment goes there), opening its own PR. The person who merged is
 * the requester and passes the gate like any trigger. The follow-up's own PR, once merged, starts
 * nothing: a follow-up of a follow-up would never end.
 */
export async function followUpMergedPull(deps: Deps, payload: PullRequestClosed): Promise<Outcome> {
  const { pull_request: pull, repository, sender } = payload;
  if (pull.merged !== true) return "ignored";
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) return "invalid-config";
  const config = loaded.parsed.value;
  const found = Object.entries(config.automations.tasks).find(([, a]) => a.event === "merged-pull-request");
  if (!found) return "ignored";
  const [name] = found;
  if (pull.head?.ref.startsWith(`${config.pr.branchPrefix}automation-${name}-`)) return "ignored";
  return startGatedTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number: pull.number,
    kind: "automation",
    automation: name,
    actor: pull.merged_by ?? sender,
    doing: `start automation ${name}`,
    config,
  });
}
