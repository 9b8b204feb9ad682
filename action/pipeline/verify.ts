import type { AgentResult } from "../agent/types.ts";
import { Cancelled } from "../job/task-errors.ts";
import type { TaskRun } from "./task-run.ts";

export type VerificationState = "passed" | "failed" | "not-run";

/** The verification the agent's loop ran (`agent/verify.ts`), as the action's outputs name it. */
export function verificationState(result: AgentResult): VerificationState {
  if (!result.verification) return "not-run";
  return result.verification.passed ? "passed" : "failed";
}

/**
 * What may be published after the loop, the same rule for every adapter: nothing from a cancelled
 * run or from an agent that failed; an unfinished or unverified change is published as such (a
 * draft pull request, a branch whose commit says so).
 */
export function checkPublishable(run: TaskRun, result: AgentResult): void {
  if (run.signal?.aborted) throw new Cancelled();
  if (result.outcome === "failed") throw new Error(`the agent stopped: ${result.reason}`);
}
