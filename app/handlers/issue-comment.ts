import { parseCommand } from "../../core/commands.ts";
import { defaultConfig } from "../../core/config.ts";
import type { TaskKind } from "../../core/task.ts";
import type { IssueComment } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { reply } from "../github/github-writes.ts";
import { loadRepoConfig } from "../github/load-repo-config.ts";
import { checkActor } from "../task/permission-gate.ts";
import { refuseOnce } from "../task/refuse-once.ts";
import { startTask } from "../task/start-task.ts";
import { stopTask } from "../task/stop-task.ts";
import { configErrorText } from "../texts/config-error-text.ts";
import { renderHelp } from "../texts/help-text.ts";

/** A slash at the start of some line: the cheap test before reading the config. */
const MAYBE_COMMAND = /^\s*\/[a-z]/im;

/** `issue_comment.created`: `/agent fix|review|stop|help`. Edited comments are never subscribed. */
export async function handleIssueComment(deps: Deps, payload: IssueComment): Promise<Outcome> {
  const { comment, issue, repository, sender } = payload;
  if (comment.performed_via_github_app?.id === deps.appId) return "ignored";
  const body = comment.body ?? "";
  if (!MAYBE_COMMAND.test(body)) return "ignored";
  const repo = { owner: repository.owner.login, name: repository.name };
  const number = issue.number;
  const actor = comment.user ?? sender;
  const loaded = await loadRepoConfig(deps.octokit, repo, {
    defaultBranch: repository.default_branch,
    defaultRunnerRepo: deps.defaultRunnerRepo,
  });

  if (!loaded.parsed.ok) {
    // The prefix is unknown when the config is broken: answer the default one, and only to people
    // who could have run it anyway.
    if (!parseCommand(body)) return "ignored";
    const gate = await checkActor(deps.octokit, repo, actor, defaultConfig(), "write", "run the agent");
    if (!gate.allowed) return "ignored";
    await reply(deps.octokit, repo, number, configErrorText(loaded.parsed.errors, loaded.ref));
    return "invalid-config";
  }

  const config = loaded.parsed.value;
  const command = parseCommand(body, config.trigger.command);
  if (!command) return "ignored";
  const isPullRequest = issue.pull_request !== undefined && issue.pull_request !== null;
  const prefix = config.trigger.command;

  const minimum = command.name === "help" ? "read" : config.permissions.minimum;
  const gate = await checkActor(
    deps.octokit,
    repo,
    actor,
    config,
    minimum,
    `use \`${prefix} ${command.name}\``,
  );
  if (!gate.allowed) {
    const kind = taskKindOf(command.name, isPullRequest);
    return refuseOnce(deps, repo, number, { login: actor.login, ...gate, ...(kind ? { kind } : {}) });
  }

  switch (command.name) {
    case "help":
      await reply(deps.octokit, repo, number, renderHelp(config, loaded.found, command.unknown));
      return "answered";
    case "stop":
      return stopTask(deps, repo, number, actor.login, config);
    case "review":
      if (!isPullRequest) {
        await reply(
          deps.octokit,
          repo,
          number,
          `\`${prefix} review\` works on pull requests; on an issue use \`${prefix} fix\`.`,
        );
        return "answered";
      }
      break;
    case "fix":
      break;
  }
  return startTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number,
    kind: command.name === "review" ? "review" : isPullRequest ? "fix-pr" : "fix-issue",
    actor: actor.login,
    config,
    instructions: command.text,
    commentId: comment.id,
    quietWhenBusy: false,
  });
}

/** The task a command asks for; `help` and `stop` start none. */
function taskKindOf(command: string, isPullRequest: boolean): TaskKind | undefined {
  if (command === "review") return "review";
  if (command === "fix") return isPullRequest ? "fix-pr" : "fix-issue";
  return undefined;
}
