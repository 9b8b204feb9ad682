/** Budgets enforced outside the model: turns, tokens, wall-clock time and the caller's abort signal. */
import type { AgentLimits } from "./types.ts";

export interface Budget {
  /** The reason the loop must stop before another model call, or undefined. */
  exceeded(turnsDone: number, tokensUsed: number): string | undefined;
  /** Milliseconds left on the wall clock (never negative). */
  remainingMs(): number;
  /** Aborts when the wall clock runs out or the caller aborts; passed to model calls. */
  signal: AbortSignal;
  dispose(): void;
}

export function createBudget(limits: AgentLimits, startedAt: number, callerSignal?: AbortSignal): Budget {
  const deadline = startedAt + limits.minutes * 60_000;
  const clock = new AbortController();
  const timer = setTimeout(
    () => clock.abort(new Error("wall-clock budget reached")),
    Math.max(0, deadline - Date.now()),
  );
  timer.unref();
  const signal = callerSignal ? AbortSignal.any([callerSignal, clock.signal]) : clock.signal;
  return {
    signal,
    dispose: () => clearTimeout(timer),
    remainingMs: () => Math.max(0, deadline - Date.now()),
    exceeded(turnsDone, tokensUsed) {
      if (callerSignal?.aborted) return "the run was cancelled";
      if (Date.now() >= deadline)
        return `the time budget of ${limits.minutes} minutes ran out (limits.minutes)`;
      if (turnsDone >= limits.turns) return `the turn budget of ${limits.turns} turns ran out (limits.turns)`;
      if (tokensUsed >= limits.tokens) {
        return `the token budget of ${limits.tokens} tokens ran out after ${tokensUsed} (limits.tokens)`;
      }
      return undefined;
    },
  };
}
