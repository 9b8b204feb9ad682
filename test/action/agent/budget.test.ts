import { describe, expect, it } from "vitest";
import { createBudget, DEFAULT_CALLS_PER_TURN } from "../../../action/agent/budget.ts";

const limits = { turns: 10, tokens: 5_000, minutes: 1 };

describe("budget", () => {
  it("names the limit that ran out", () => {
    const budget = createBudget(limits, Date.now());
    expect(budget.exceeded(9, 4_999)).toBeUndefined();
    expect(budget.exceeded(10, 0)).toMatch(/turn budget of 10 turns ran out \(limits\.turns\)/);
    expect(budget.exceeded(1, 5_000)).toMatch(
      /token budget of 5000 tokens ran out after 5000 \(limits\.tokens\)/,
    );
    budget.dispose();
  });

  it("runs out of wall-clock time and aborts its signal", async () => {
    const budget = createBudget(limits, Date.now() - 61_000);
    expect(budget.exceeded(0, 0)).toMatch(/time budget of 1 minutes ran out \(limits\.minutes\)/);
    expect(budget.remainingMs()).toBe(0);
    await new Promise((resolve) => budget.signal.addEventListener("abort", resolve, { once: true }));
    expect(budget.signal.aborted).toBe(true);
  });

  it("reports the caller's cancellation first", () => {
    const controller = new AbortController();
    const budget = createBudget(limits, Date.now(), controller.signal);
    controller.abort();
    expect(budget.exceeded(100, 100_000)).toBe("the run was cancelled");
    expect(budget.signal.aborted).toBe(true);
    budget.dispose();
  });

  it("refuses a call past the per-reply cap, after the deadline, or after cancellation", () => {
    const controller = new AbortController();
    const budget = createBudget({ ...limits, callsPerTurn: 2 }, Date.now(), controller.signal);
    expect(budget.refuseCall(0, 3)).toBeUndefined();
    expect(budget.refuseCall(1, 3)).toBeUndefined();
    expect(budget.refuseCall(2, 3)).toMatch(
      /^Not run: this reply has 3 tool calls and a turn runs at most 2 \(limits\.callsPerTurn\)/,
    );
    controller.abort();
    expect(budget.refuseCall(0, 3)).toBe("Not run: the run was cancelled.");
    budget.dispose();
    const late = createBudget(limits, Date.now() - 60_000);
    expect(late.refuseCall(0, 1)).toBe("Not run: the time budget of 1 minutes ran out (limits.minutes).");
    late.dispose();
  });

  it("defaults to DEFAULT_CALLS_PER_TURN calls per reply", () => {
    const budget = createBudget(limits, Date.now());
    expect(budget.refuseCall(DEFAULT_CALLS_PER_TURN - 1, 100)).toBeUndefined();
    expect(budget.refuseCall(DEFAULT_CALLS_PER_TURN, 100)).toMatch(/limits\.callsPerTurn/);
    budget.dispose();
  });
});
