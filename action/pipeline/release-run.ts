import { rm } from "node:fs/promises";
import { messageOf } from "../job/task-errors.ts";
import type { TaskRun } from "./task-run.ts";

/** Removes what the phases left, whatever happened: the sandbox and the task's clone. */
export async function releaseRun(run: TaskRun): Promise<void> {
  if (run.sandbox) {
    await run.sandbox
      .destroy()
      .catch((error) => run.warn(`could not remove the sandbox: ${messageOf(error)}`));
    run.sandbox = undefined;
  }
  if (run.workRoot) await rm(run.workRoot, { recursive: true, force: true });
}
