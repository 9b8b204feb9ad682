import { gateActor } from "../../../core/actor-gate.ts";
import type { RepoConfig } from "../../../core/config.ts";
import type { Task } from "../../../core/task.ts";
import type { GitHub } from "../../github/client.ts";
import { permissionOf, recheckActor } from "../../github/permission.ts";
import type { TaskSource } from "../../job/settings.ts";
import { Refusal } from "../../job/task-errors.ts";

/**
 * Invariant 1 on the runner, the one place that decides whether this run may act. A task from the
 * App: its actor is checked again. An automation the action built from its own run: GitHub's
 * scheduler may start it (the schedule is a workflow on the default branch, which only people with
 * write access change); a person's manual dispatch passes the same actor gate as any request.
 */
export async function checkTrigger(
  gh: GitHub,
  task: Task,
  source: TaskSource,
  config: Pick<RepoConfig, "permissions">,
): Promise<void> {
  const repo = { owner: task.repo.owner, name: task.repo.name };
  if (source.kind === "task") {
    if (task.kind === "automation" && task.number === undefined) {
      throw new Refusal(
        "a scheduled automation is not passed in as a task: the automations workflow names it with the input automation, and the action builds the task from the run's own event",
      );
    }
    const check = await recheckActor(gh, repo, task.trigger.actor, config);
    if (!check.ok) throw new Refusal(check.reason);
    return;
  }
  if (task.trigger.event === "schedule") return;
  const actor = task.trigger.actor;
  const verdict = await gateActor({ login: actor }, config.permissions, (login) =>
    permissionOf(gh, repo.owner, repo.name, login),
  );
  if (verdict.allowed) return;
  if (verdict.reason === "bot") {
    throw new Refusal(
      `${actor} dispatched automation '${task.automation}', but is a bot not listed in permissions.allowedBots in .github/agent.yml`,
    );
  }
  throw new Refusal(
    `@${actor} dispatched automation '${task.automation}' with ${verdict.permission} permission on ${repo.owner}/${repo.name}; .github/agent.yml requires ${verdict.minimum} (permissions.minimum). Ask someone with ${verdict.minimum} access to run it, or wait for its schedule.`,
  );
}
