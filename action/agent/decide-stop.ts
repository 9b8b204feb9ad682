/**
 * Step 4 of a turn: decide whether the run stops. The loop, not the model, decides: `finish` is
 * accepted only when the repository's test command passes (a review or a findings run has nothing
 * to verify), a model that loops is stopped as stuck, and everything the model should hear before
 * the next turn (unreadable calls, rules, a nudge, the failed tests) goes to it as one message.
 */
import { formatReminder } from "../model/text-tools.ts";
import type { ModelReply } from "../model/types.ts";
import { type AgentRun, type Stop, stopKeepingWork, verify } from "./agent-run.ts";
import type { CallsDone } from "./run-tool-calls.ts";
import type { Session } from "./start-session.ts";
import { verificationFeedback } from "./verify.ts";

export const NO_TOOL_NUDGE =
  "You did not call a tool. Continue with a tool call, or call finish with a summary when the task is done.";
/** A budget stop runs the tests once more only when this much time is left. */
const FINAL_CHECK_MIN_MS = 5_000;

export async function decideStop(
  run: AgentRun,
  session: Session,
  turn: number,
  reply: ModelReply,
  calls: CallsDone,
): Promise<Stop | undefined> {
  const notes = [...reply.protocolErrors, ...calls.notes];
  if (reply.toolCalls.length === 0 && reply.protocolErrors.length === 0) {
    const seen = session.stuck.recordReplyWithoutCalls();
    notes.push(seen === "remind" ? formatReminder(run.client.mode, session.specs) : NO_TOOL_NUDGE);
  }
  const stuckReason = session.stuck.stuckReason();
  if (stuckReason) return stopKeepingWork("stuck", stuckReason);
  if (calls.finishSummary !== undefined) {
    run.summary = calls.finishSummary;
    const judged = await judgeFinish(run, session);
    if (typeof judged !== "string") return judged;
    notes.push(judged);
  }
  if (notes.length > 0) session.conversation.append({ role: "user", content: notes.join("\n\n") }, turn);
  return undefined;
}

/** The model called `finish`: the stop that accepts it, or the failed tests to send back. */
export async function judgeFinish(run: AgentRun, session: Session): Promise<Stop | string> {
  const finished = (reason: string): Stop => ({ outcome: "finished", reason });
  const found = run.reviewComments.length;
  if (run.options.task.kind === "review")
    return finished(`The review finished with ${found} inline comments.`);
  if (session.readOnly) return finished(`The automation finished with ${found} findings.`);
  const command = session.testCommand;
  if (!command) return finished("The model finished; no test command is known, so nothing was verified.");
  const verification = await verify(run, command);
  if (verification.passed) return finished(`The model finished and \`${command}\` passed.`);
  return verificationFeedback(verification);
}

/** A budget stop keeps the work; when time allows, the tests run once more so the result says where it stands. */
export async function checkBeforeBudgetStop(run: AgentRun, session: Session, stop: Stop): Promise<void> {
  if (stop.outcome !== "budget" || !session.testCommand || session.readOnly) return;
  if (run.budget.signal.aborted || run.budget.remainingMs() <= FINAL_CHECK_MIN_MS) return;
  await verify(run, session.testCommand);
}
