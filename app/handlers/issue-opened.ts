import { isBotActor } from "../../core/actor-gate.ts";
import { loadRepoConfig } from "../helpers/load-repo-config.ts";
import { checkActor } from "../helpers/permission-gate.ts";
import { startTask } from "../helpers/start-task.ts";
import { readIntakeMarker } from "../intake/intake-marker.ts";
import type { IssueOpened } from "../payloads.ts";
import type { Deps, Outcome } from "../types.ts";

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
  const repo = { owner: repository.owner.login, name: repository.name };
  const loaded = await loadRepoConfig(deps.octokit, repo, {
    defaultBranch: repository.default_branch,
    defaultRunnerRepo: deps.defaultRunnerRepo,
  });
  if (!loaded.parsed.ok) return "invalid-config";
  const config = loaded.parsed.value;
  if (!config.automations.fixNewIssues) return "ignored";
  const gate = await checkActor(
    deps.octokit,
    repo,
    sender,
    config,
    config.permissions.minimum,
    "have new issues fixed",
  );
  if (!gate.allowed) {
    deps.metrics.refusals.inc({ reason: gate.reason });
    return "refused";
  }
  return startTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number: issue.number,
    kind: "fix-issue",
    actor: sender.login,
    config,
    quietWhenBusy: true,
  });
}
