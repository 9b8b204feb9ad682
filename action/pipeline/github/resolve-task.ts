import { formatErrors } from "../../../core/result.ts";
import { parseTask, type Task } from "../../../core/task.ts";
import { taskFromRunEvent } from "../../automation/run-event-task.ts";
import type { Settings } from "../../job/settings.ts";
import { messageOf } from "../../job/task-errors.ts";
import type { SummaryWriter } from "../../summary/job-summary.ts";

/**
 * The task this run carries out: the App's (input `task`), or an automation's, built from the run's
 * own event (input `automation`). A run that cannot have one says why in its job summary, where
 * a scheduled run's owner looks (it has no status comment).
 */
export async function resolveTask(
  settings: Settings,
  summary?: SummaryWriter,
  now = new Date(),
): Promise<Task> {
  try {
    const { source } = settings;
    if (source.kind === "automation") return taskFromRunEvent(source, settings.env, now);
    const parsed = parseTask(source.json);
    if (!parsed.ok) throw new Error(`the task input is invalid:\n${formatErrors(parsed.errors)}`);
    return parsed.value;
  } catch (error) {
    await summary
      ?.addHeading("inhouse: nothing was run", 2)
      .addRaw(`**${messageOf(error)}**`, true)
      .write()
      .catch(() => undefined);
    throw error;
  }
}
