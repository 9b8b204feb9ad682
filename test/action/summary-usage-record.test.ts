import { describe, expect, it } from "vitest";
import { createBudget } from "../../action/agent/budget.ts";
import type { AgentResult } from "../../action/agent/types.ts";
import { usageRecord } from "../../action/summary/usage-record.ts";
import { costOf } from "../../core/cost.ts";
import { parseStatusMarker, renderStatusComment } from "../../core/status-marker.ts";
import { UsageRecordSchema } from "../../core/usage-record.ts";

const result: AgentResult = {
  outcome: "finished",
  reason: "done",
  reviewComments: [],
  turns: 6,
  tokens: { prompt: 250_000, completion: 10_000, total: 260_000, estimated: false },
  durationMs: 90_000,
  verification: { command: "npm test", passed: true, exitCode: 0, outputTail: "" },
};

describe("the usage record in the final status marker", () => {
  it("carries tokens, phases, verification, link, blocked hosts, profile, cost and runner", () => {
    const usage = usageRecord({
      result,
      state: "succeeded",
      phases: [
        { name: "provisioning", ms: 4_210 },
        { name: "working", ms: 80_040 },
      ],
      profile: "large",
      price: { prompt: 3, completion: 15 },
      link: "https://github.example/acme/widget/pull/9",
      prNumber: 9,
      egress: { blocked: [{ host: "evil.example", count: 3 }] },
      runner: "runner-1",
    });
    expect(usage).toEqual({
      outcome: "finished",
      turns: 6,
      tokens: { prompt: 250_000, completion: 10_000 },
      phases: [
        { name: "provisioning", seconds: 4.2 },
        { name: "working", seconds: 80 },
      ],
      verification: "passed",
      link: "https://github.example/acme/widget/pull/9",
      pr: 9,
      blocked: ["evil.example"],
      profile: "large",
      cost: 0.9, // 0.25 M × 3 + 0.01 M × 15
      runner: "runner-1",
    });
    // It survives the round trip through the comment the App reads back.
    const body = renderStatusComment(
      { v: 1, task: { kind: "fix-issue", number: 3 }, delivery: "d", actor: "a", state: "succeeded", usage },
      "done",
    );
    expect(parseStatusMarker(body)?.usage).toEqual(usage);
  });

  it("records a task that ended before the loop, and leaves cost out when the runner set no price", () => {
    const usage = usageRecord({ state: "refused", phases: [], profile: "default" });
    expect(usage).toEqual({
      outcome: "refused",
      turns: 0,
      tokens: { prompt: 0, completion: 0 },
      phases: [],
      verification: "not-run",
      profile: "default",
    });
    expect(UsageRecordSchema.safeParse(usage).success).toBe(true);
  });

  it("drops a link that is not http(s), so no javascript: URL reaches the dashboard", () => {
    expect(usageRecord({ state: "succeeded", phases: [], link: "javascript:alert(1)" }).link).toBeUndefined();
  });
});

describe("the per-task cost cap", () => {
  const limits = { turns: 100, tokens: 10_000_000, minutes: 10, maxCost: 1 };
  const price = { prompt: 3, completion: 15 };

  it("stops the loop once tokens × price reach max-task-cost, beside the token budget", () => {
    const budget = createBudget(limits, Date.now(), undefined, price);
    try {
      expect(budget.exceeded(1, 100_000, { prompt: 100_000, completion: 0 })).toBeUndefined();
      expect(costOf({ prompt: 300_000, completion: 10_000 }, price)).toBeCloseTo(1.05);
      expect(budget.exceeded(2, 310_000, { prompt: 300_000, completion: 10_000 })).toMatch(
        /cost cap of 1 per task was reached after 1\.0500 \(the runner's max-task-cost\)/,
      );
    } finally {
      budget.dispose();
    }
  });
});
