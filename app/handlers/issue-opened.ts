import { isBotActor } from "../../core/actor-gate.ts";
import type { IssueOpened } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { readIntakeMarker } from "../intake/intake-marker.ts";
import { startGatedTask } from "../task/start-gated-task.ts";

/**
 * `issues.opened` with `automations.fixNewIssues`: a fix-issue task for an author at the minimum.
 * Authors below it are skipped without a comment (opening an issue is not a request to the agent);
 * an issue opened with the trigger label also gets `issues.labeled`, and whichever comes second
 * finds the task running and says nothing.
 */
export async function handleIssueOpened(deps: Deps, payload: IssueOpened): Promise<Outcome> {
  const { issue, repository, sender } = payload;
  if (issue.pull_request) return "ignored";
  // The App's own issue for Sentry, Slack or the API: that intake started its task already.
  if (isBotActor(sender) && issue.user?.login === sender.login && readIntakeMarker(issue.body)) {
    return "ignored";
  }
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) return "invalid-config";
  const config = loaded.parsed.value;
  if (!config.automations.fixNewIssues) return "ignored";
  return startGatedTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number: issue.number,
    kind: "fix-issue",
    actor: sender,
    doing: "have new issues fixed",
    config,
  });
}
