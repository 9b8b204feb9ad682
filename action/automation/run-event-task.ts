import { AUTOMATION_EVENTS } from "../../core/automations-workflow.ts";
import { type Task, TaskSchema } from "../../core/task.ts";
import type { RunEnvironment } from "../job/run-environment.ts";
import type { TaskSource } from "../job/settings.ts";
import { Refusal } from "../job/task-errors.ts";

/**
 * An automation's task, built by the action from the run itself: no App is involved, so the trigger
 * is what GitHub says started this run (`GITHUB_EVENT_NAME`, `GITHUB_TRIGGERING_ACTOR`), never text
 * anyone passed in. Who may start it is decided in `trigger-gate.ts`.
 */
export function taskFromRunEvent(
  source: Extract<TaskSource, { kind: "automation" }>,
  env: RunEnvironment,
  now: Date,
): Task {
  if (!(AUTOMATION_EVENTS as readonly string[]).includes(env.event)) {
    throw new Refusal(
      `automation '${source.name}' ran on the event '${env.event || "(none)"}'; an automation runs only on schedule or workflow_dispatch (the on: of .github/workflows/agent-automations.yml), so nothing was done`,
    );
  }
  return TaskSchema.parse({
    v: 1,
    kind: "automation",
    repo: source.repository,
    automation: source.name,
    trigger: {
      event: env.event,
      // Unique per run attempt: the commit trailer and the run history tell runs apart by it.
      delivery: `run-${env.runId}-${env.runAttempt}`,
      actor: env.triggeringActor || "github-actions",
      at: now.toISOString(),
    },
  });
}
