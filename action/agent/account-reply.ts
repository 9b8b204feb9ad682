/**
 * Step 2 of a turn: account for the reply. Its tokens count against the budget, it is recorded in
 * the audit log (which redacts every secret the run knows), and a reply the token budget stopped
 * mid-stream ends the run before any of its calls runs.
 */
import type { ModelReply } from "../model/types.ts";
import { addUsage } from "../model/usage.ts";
import { type AgentRun, type Stop, stopKeepingWork } from "./agent-run.ts";

/** Reasoning kept per reply in the audit log; the model's thoughts can run to many thousand characters. */
export const AUDIT_REASONING_MAX_CHARS = 16_000;

export function accountReply(
  run: AgentRun,
  turn: number,
  reply: ModelReply,
  messagesSent: number,
): Stop | undefined {
  run.usage = addUsage(run.usage, reply.usage);
  run.audit.write({
    type: "model_request",
    turn,
    mode: reply.mode,
    messages: messagesSent,
    requestChars: reply.requestChars,
    promptTokens: reply.usage.prompt,
    completionTokens: reply.usage.completion,
    estimated: reply.usage.estimated,
    latencyMs: Math.round(reply.latencyMs),
    attempts: reply.attempts,
    finishReason: reply.finishReason,
    streamed: reply.streamed,
    capped: reply.capped,
    // Reasoning is kept here and nowhere else: never parsed for calls, shown, or sent back.
    ...(reply.reasoning ? { reasoning: reply.reasoning.slice(0, AUDIT_REASONING_MAX_CHARS) } : {}),
  });
  // A reply stopped mid-stream by the token budget: its calls are not run.
  const spent = reply.capped ? run.budget.exceeded(run.turns, run.usage.total) : undefined;
  return spent ? stopKeepingWork("budget", spent) : undefined;
}
