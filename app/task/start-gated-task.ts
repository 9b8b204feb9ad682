import type { Actor } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { checkActor, type GateResult } from "./permission-gate.ts";
import { startTask, type TaskRequest } from "./start-task.ts";

export interface GatedTaskRequest extends Omit<TaskRequest, "actor" | "instructions" | "quietWhenBusy"> {
  actor: Actor;
  /** What the actor asks for, as the gate's refusal says it: "Bots cannot <doing> here". */
  doing: string;
  /** Built only once the gate passes (it may read a job log). */
  instructions?: () => string | Promise<string>;
  /** A label re-added or a PR event while a task runs starts nothing and says nothing (default). */
  quietWhenBusy?: boolean;
  /**
   * A refused actor: counted and silent by default, since an automation's trigger (a new issue, a
   * PR, a merge) is not a request to the agent; a command or a label answers here instead.
   */
  refused?: (gate: Extract<GateResult, { allowed: false }>) => Outcome | Promise<Outcome>;
}

/**
 * The gate, then the task: every webhook path that starts work checks its actor at the
 * repository's minimum permission (`checkActor`, core/actor-gate.ts) and starts the task only then.
 */
export async function startGatedTask(deps: Deps, request: GatedTaskRequest): Promise<Outcome> {
  const { actor, doing, refused, instructions, quietWhenBusy, ...task } = request;
  const gate = await checkActor(
    deps.octokit,
    task.repo,
    actor,
    task.config,
    task.config.permissions.minimum,
    doing,
  );
  if (!gate.allowed) {
    if (refused) return refused(gate);
    deps.metrics.refusals.inc({ reason: gate.reason });
    return "refused";
  }
  const text = await instructions?.();
  return startTask(deps, {
    ...task,
    actor: actor.login,
    ...(text !== undefined ? { instructions: text } : {}),
    quietWhenBusy: quietWhenBusy ?? true,
  });
}
