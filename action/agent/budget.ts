/**
 * Budgets enforced outside the model: turns, tokens, wall-clock time, tool calls per reply and the
 * caller's abort signal. Time is checked before every model call and every tool call, and nothing
 * gets a minimum past the deadline: one reply cannot buy more time by asking for many calls.
 */
import { costOf, type ModelPrice } from "../../core/cost.ts";
import { estimateTokens } from "../model/usage.ts";
import type { AgentLimits } from "./types.ts";

/** Tool calls one reply may run when neither the repository nor the runner says otherwise. */
export const DEFAULT_CALLS_PER_TURN = 20;

export interface Budget {
  /** The reason the loop must stop before another model call, or undefined. */
  exceeded(
    turnsDone: number,
    tokensUsed: number,
    usage?: { prompt: number; completion: number },
  ): string | undefined;
  /**
   * Checked before each tool call of a reply (`index` counts from 0): why the call must not run
   * (cancelled, out of time, past the per-reply cap), as the text the model reads, or undefined.
   */
  refuseCall(index: number, callsInReply: number): string | undefined;
  /** Milliseconds left on the wall clock (never negative). */
  remainingMs(): number;
  /** Aborts when the wall clock runs out or the caller aborts; passed to model calls. */
  signal: AbortSignal;
  dispose(): void;
}

export function createBudget(
  limits: AgentLimits,
  startedAt: number,
  callerSignal?: AbortSignal,
  price?: ModelPrice,
): Budget {
  const deadline = startedAt + limits.minutes * 60_000;
  const callsPerTurn = limits.callsPerTurn ?? DEFAULT_CALLS_PER_TURN;
  const clock = new AbortController();
  const timer = setTimeout(
    () => clock.abort(new Error("wall-clock budget reached")),
    Math.max(0, deadline - Date.now()),
  );
  timer.unref();
  const signal = callerSignal ? AbortSignal.any([callerSignal, clock.signal]) : clock.signal;
  const outOfTime = () => `the time budget of ${limits.minutes} minutes ran out (limits.minutes)`;
  return {
    signal,
    dispose: () => clearTimeout(timer),
    remainingMs: () => Math.max(0, deadline - Date.now()),
    exceeded(turnsDone, tokensUsed, usage) {
      if (callerSignal?.aborted) return "the run was cancelled";
      if (Date.now() >= deadline) return outOfTime();
      if (turnsDone >= limits.turns) return `the turn budget of ${limits.turns} turns ran out (limits.turns)`;
      if (tokensUsed >= limits.tokens) {
        return `the token budget of ${limits.tokens} tokens ran out after ${tokensUsed} (limits.tokens)`;
      }
      // The cost cap fails closed: a runner that sets one without a price for the model is refused earlier (read-request).
      if (limits.maxCost !== undefined && price && usage) {
        const spent = costOf(usage, price);
        if (spent >= limits.maxCost) {
          return `the cost cap of ${limits.maxCost} per task was reached after ${spent.toFixed(4)} (the runner's max-task-cost)`;
        }
      }
      return undefined;
    },
    refuseCall(index, callsInReply) {
      if (callerSignal?.aborted) return "Not run: the run was cancelled.";
      if (Date.now() >= deadline) return `Not run: ${outOfTime()}.`;
      if (index >= callsPerTurn) {
        return `Not run: this reply has ${callsInReply} tool calls and a turn runs at most ${callsPerTurn} (limits.callsPerTurn); send the rest in your next reply.`;
      }
      return undefined;
    },
  };
}

/** Tokens the next reply may use before the token budget is spent (the client stops the reply mid-stream there). */
export function replyTokensLeft(limit: number, used: number, promptChars: number): number {
  return Math.max(1, limit - used - estimateTokens(promptChars));
}
