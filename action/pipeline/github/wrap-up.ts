import { openAuditLog } from "../../agent/audit-log.ts";
import type { CutText } from "../../github/long-bodies.ts";
import { neutraliseForLog } from "../../job/job-log.ts";
import { messageOf } from "../../job/task-errors.ts";
import { writeJobSummary } from "../../summary/job-summary.ts";
import { releaseRun } from "../release-run.ts";
import type { GitHubRun } from "./github-run.ts";

/** The whole of every text GitHub could not take, one audit line each (the log is uploaded with the run). */
function recordCutTexts(auditPath: string, secrets: string[], cut: CutText[]): void {
  if (cut.length === 0) return;
  const audit = openAuditLog(auditPath, secrets);
  for (const text of cut)
    audit.write({ type: "published_text", what: text.what, chars: text.chars, text: text.text });
}

/**
 * Whatever happened: the sandbox and clone removed, the post step's state saved, the status
 * comment's pending write sent, and the job summary written. The message goes to the log, the job
 * summary and the step output: redacted on every path.
 */
export async function wrapUp(run: GitHubRun): Promise<void> {
  const { outcome, task, result } = run;
  outcome.message = neutraliseForLog(run.redact(outcome.message));
  run.state.finished = run.status.isFinished;
  const hadSandbox = run.sandbox !== undefined;
  await releaseRun(run);
  if (hadSandbox) run.state.containerId = undefined;
  run.save();
  await run.status.flush();
  recordCutTexts(run.auditPath, run.secrets.tokens, run.bodies.cut);
  if (!run.deps.summary) return;
  const what = task.kind === "automation" ? `automation ${task.automation}` : task.kind;
  await writeJobSummary(run.deps.summary, {
    title: `${what}${task.number ? ` #${task.number}` : ""} in ${task.repo.owner}/${task.repo.name}`,
    outcome: outcome.message,
    phases: run.clock.list(),
    ...(result ? { result: { ...result, reason: run.redact(result.reason) } } : {}),
    link: run.link,
    auditPath: run.auditPath,
    cut: run.bodies.cut,
  }).catch((error) => run.deps.log.warning(`could not write the job summary: ${messageOf(error)}`));
}
