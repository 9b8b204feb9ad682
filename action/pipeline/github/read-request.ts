import { automationRunConfig } from "../../../core/automation-config.ts";
import type { RepoConfig } from "../../../core/config.ts";
import type { AutomationConfig } from "../../../core/config-schema.ts";
import { runnerRepoRefusal } from "../../../core/runner-repository.ts";
import type { Task } from "../../../core/task.ts";
import type { AgentTaskText } from "../../agent/types.ts";
import { findAutomationPull } from "../../automation/automation-threads.ts";
import type { GitHub } from "../../github/client.ts";
import { freezeThread } from "../../github/frozen-thread.ts";
import { fetchPullRequest, type PullRequestInfo } from "../../github/pull-request-info.ts";
import { fetchRepoConfig } from "../../github/repo-config.ts";
import { renderAutomationText, renderTaskText } from "../../github/task-text.ts";
import { checkThreadMatches } from "../../github/thread-checks.ts";
import type { Settings } from "../../job/settings.ts";
import { Refusal } from "../../job/task-errors.ts";
import type { ModelSettings } from "../../model/types.ts";
import { type EffectiveLimits, effectiveLimits } from "../effective-limits.ts";
import type { RunDeps } from "./run-deps.ts";
import { checkTrigger } from "./trigger-check.ts";

export interface Request {
  defaultBranch: string;
  config: RepoConfig;
  limits: EffectiveLimits;
  model: ModelSettings;
  text: AgentTaskText;
  pr?: PullRequestInfo;
}

/**
 * A task runs in its own repository's workflow, or in the central runner repository that its
 * config names (`dispatch.repo`) or, naming none, the App-wide default the App recorded in its
 * confirmed status comment (`dispatchedTo`); a workflow anywhere else has no business acting on it.
 */
function checkDispatchRepository(task: Task, config: RepoConfig, here: string, dispatchedTo?: string): void {
  const refusal = runnerRepoRefusal({
    target: `${task.repo.owner}/${task.repo.name}`,
    here,
    configured: config.dispatch.repo,
    dispatchedTo,
  });
  if (refusal) throw new Refusal(refusal);
}

/**
 * Step 4 of the design: everything decided before a byte of code is fetched. The config comes from
 * the default branch, the actor is checked again, and the thread is frozen at the trigger time.
 */
export async function readRequest(
  gh: GitHub,
  task: Task,
  settings: Settings,
  deps: Pick<RunDeps, "resolveModel" | "mask">,
  /** The runner repository from the App's confirmed status comment (`Authenticity.runner`). */
  dispatchedTo?: string,
): Promise<Request> {
  const repo = { owner: task.repo.owner, name: task.repo.name };
  const { data } = await gh.rest.repos.get({ owner: repo.owner, repo: repo.name });
  const defaultBranch = data.default_branch;
  const repoConfig = await fetchRepoConfig(gh, repo, defaultBranch);
  checkDispatchRepository(task, repoConfig, settings.env.repository, dispatchedTo);
  await checkTrigger(gh, task, settings.source, repoConfig);
  const automation = task.kind === "automation" ? automationNamed(repoConfig, task.automation!) : undefined;
  // An automation runs with its own model profile, limits and sandbox where it sets them.
  const config = automation ? automationRunConfig(repoConfig, automation) : repoConfig;
  const limits = effectiveLimits(config, settings.caps);
  const model = await deps.resolveModel(settings, config.model.profile);
  if (model.apiKey) deps.mask(model.apiKey);

  if (automation) {
    checkAutomationEvent(task, automation.event);
    if (task.number !== undefined) {
      // A merge follow-up: the merged PR is its context, and it opens a PR of its own.
      const merged = await fetchPullRequest(gh, repo, task.number);
      const text = renderAutomationText(task, automation, undefined, merged);
      return { defaultBranch, config, limits, model, text };
    }
    // One open PR per automation: a later run adds its commit to that PR's branch.
    const pr =
      automation.output === "pull-request" ? await findAutomationPull(gh, repo, task.automation!) : undefined;
    const text = renderAutomationText(task, automation, pr);
    return { defaultBranch, config, limits, model, text, ...(pr ? { pr } : {}) };
  }
  const thread = await freezeThread(gh, task, config);
  const pr = task.kind === "fix-issue" ? undefined : await fetchPullRequest(gh, repo, task.number!);
  checkThreadMatches(task, thread, pr);
  return { defaultBranch, config, limits, model, text: renderTaskText(task, thread, pr), pr };
}

/**
 * A scheduled automation runs from its workflow with no PR; a merge automation only from the App, on
 * the merged PR it follows up. Either started the other way has nothing to work on.
 */
function checkAutomationEvent(task: Task, event: AutomationConfig["event"]): void {
  const onMerge = event === "merged-pull-request";
  if (onMerge && task.number === undefined) {
    throw new Refusal(
      `automation '${task.automation}' runs when a pull request is merged (event: merged-pull-request in .github/agent.yml); the App starts it on that pull request, so a scheduled or manual run has nothing to follow up`,
    );
  }
  if (!onMerge && task.number !== undefined) {
    throw new Refusal(
      `automation '${task.automation}' runs on its workflow's schedule (event: ${event}), not on #${task.number}; set event: merged-pull-request in .github/agent.yml to run it on merged pull requests`,
    );
  }
}

function automationNamed(config: RepoConfig, name: string) {
  const automation = config.automations.tasks[name];
  if (automation) return automation;
  const defined = Object.keys(config.automations.tasks);
  throw new Refusal(
    `automation '${name}' is not defined under automations.tasks in .github/agent.yml on the default branch (${defined.length ? `defined: ${defined.join(", ")}` : "none is defined"}); add it there or fix the name the workflow passes`,
  );
}
