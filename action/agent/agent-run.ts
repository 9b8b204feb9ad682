/**
 * One run of the agent loop: what every step shares (the options, the audit log, the budget, the
 * model client, what has been counted so far), how the repository's tests are run, and the one
 * place a run ends.
 */
import { createModelClient } from "../model/client.ts";
import type { ModelClient, TokenUsage } from "../model/types.ts";
import { ZERO_USAGE } from "../model/usage.ts";
import type { ReviewComment } from "../tools/types.ts";
import { type AuditLog, openAuditLog } from "./audit-log.ts";
import { type Budget, createBudget } from "./budget.ts";
import type { AgentOutcome, AgentProgress, AgentResult, AgentRunOptions, Verification } from "./types.ts";
import { runVerification } from "./verify.ts";

export interface AgentRun {
  options: AgentRunOptions;
  startedAt: number;
  audit: AuditLog;
  budget: Budget;
  client: ModelClient;
  progress: (event: AgentProgress) => void;
  /** What the run has counted and collected so far. */
  turns: number;
  usage: TokenUsage;
  reviewComments: ReviewComment[];
  summary?: string;
  verification?: Verification;
}

/** Why a run ends, in the words the result gives. */
export interface Stop {
  outcome: AgentOutcome;
  reason: string;
}

/** A stop that keeps the work done so far (a budget ran out, the model is stuck). */
export function stopKeepingWork(outcome: "budget" | "stuck", why: string): Stop {
  return { outcome, reason: `Stopped: ${why}; the changes made so far are kept.` };
}

export function openRun(options: AgentRunOptions): AgentRun {
  const startedAt = Date.now();
  const audit = openAuditLog(options.auditPath, options.secrets);
  const client = createModelClient(options.model, {
    retryBaseDelayMs: options.tuning?.retryBaseDelayMs,
    onRetry: ({ attempt, delayMs, error }) =>
      audit.write({
        type: "model_retry",
        attempt,
        delayMs,
        error: error instanceof Error ? error.message : String(error),
      }),
    onModeChange: (mode, reason) => audit.write({ type: "mode_change", mode, reason }),
  });
  return {
    options,
    startedAt,
    audit,
    budget: createBudget(options.limits, startedAt, options.signal, options.model.price),
    client,
    progress: options.onProgress ?? (() => {}),
    turns: 0,
    usage: ZERO_USAGE,
    reviewComments: [],
  };
}

/** Runs the test command outside the model's control and records what it said. */
export async function verify(run: AgentRun, command: string): Promise<Verification> {
  run.progress({ phase: "verifying", command });
  const verification = await runVerification(run.options.sandbox, command, run.budget.remainingMs());
  run.audit.write({ type: "verification", ...verification });
  run.verification = verification;
  return verification;
}

export function endRun(run: AgentRun, { outcome, reason }: Stop): AgentResult {
  run.budget.dispose();
  const durationMs = Date.now() - run.startedAt;
  run.audit.write({
    type: "end",
    outcome,
    reason,
    turns: run.turns,
    totalTokens: run.usage.total,
    durationMs,
  });
  run.progress({ phase: "done", outcome });
  return {
    outcome,
    reason,
    summary: run.summary,
    verification: run.verification,
    reviewComments: run.reviewComments,
    turns: run.turns,
    tokens: { ...run.usage },
    durationMs,
  };
}
