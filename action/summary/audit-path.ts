import { join } from "node:path";
import type { Task } from "../../core/task.ts";

/**
 * Where the agent loop writes its JSON-lines audit log: under `${RUNNER_TEMP}/inhouse-audit/`,
 * which the workflow template uploads as an artifact. One file per task and run attempt.
 */
export function auditLogPath(auditDir: string, task: Task, runId: number): string {
  const subject = task.kind === "automation" ? task.automation : String(task.number);
  const name = `${task.repo.owner}-${task.repo.name}-${task.kind}-${subject}-${runId}`.replace(
    /[^A-Za-z0-9._-]/g,
    "_",
  );
  return join(auditDir, `${name}.jsonl`);
}
