import { isBotActor } from "../../core/actor-gate.ts";
import { defaultConfig } from "../../core/config.ts";
import type { IssueLabeled } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { reply } from "../github/github-writes.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { readIntakeMarker } from "../intake/intake-marker.ts";
import { refuseOnce } from "../task/refuse-once.ts";
import { startGatedTask } from "../task/start-gated-task.ts";
import { configErrorText } from "../texts/config-error-text.ts";

/** `issues.labeled` with the configured label: a fix-issue task. */
export async function handleIssueLabeled(deps: Deps, payload: IssueLabeled): Promise<Outcome> {
  const { label, issue, repository, sender } = payload;
  if (!label || issue.pull_request) return "ignored";
  // The App's own label on an issue it opened for Sentry, Slack or the API: that intake already
  // gated and started the task for the person it maps to. Ignoring starts nothing, so the rule
  // needs no proof that the bot is this App.
  if (isBotActor(sender) && issue.user?.login === sender.login && readIntakeMarker(issue.body)) {
    return "ignored";
  }
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) {
    // The configured label is unknown when the config is broken; the default one still gets an answer.
    if (label.name !== defaultConfig().trigger.label) return "ignored";
    await reply(deps.octokit, repo, issue.number, configErrorText(loaded.parsed.errors, loaded.ref));
    return "invalid-config";
  }
  const config = loaded.parsed.value;
  if (label.name !== config.trigger.label) return "ignored";
  return startGatedTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number: issue.number,
    kind: "fix-issue",
    actor: sender,
    doing: "start the agent",
    config,
    refused: (gate) =>
      refuseOnce(deps, repo, issue.number, { login: sender.login, ...gate, kind: "fix-issue" }),
  });
}
