/** The report's numbers: Wilson intervals, per-profile sums, the best profile, and the Markdown. */
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../action/eval/confidence.ts";
import type { EvalInstance } from "../../../action/eval/instance.ts";
import { buildReport, reportMarkdown } from "../../../action/eval/report.ts";
import { gradedResult } from "../../helpers/eval-result.ts";

const instances = ["a#1", "a#2", "a#3", "a#4"].map((id) => ({ id }) as EvalInstance);

describe("wilsonInterval", () => {
  it("matches published values and stays inside [0, 1]", () => {
    // 8 of 10: centre 0.7167, half-width 0.2265 (the score formula worked by hand).
    const eight = wilsonInterval(8, 10);
    expect(eight.low).toBeCloseTo(0.4902, 3);
    expect(eight.high).toBeCloseTo(0.9433, 3);
    const none = wilsonInterval(0, 4);
    expect(none.low).toBe(0);
    expect(none.high).toBeGreaterThan(0.4);
    expect(wilsonInterval(4, 4).high).toBe(1);
  });
});

describe("buildReport", () => {
  it("sums each profile over the same instances and picks the best, ties to the cheaper", () => {
    const results = [
      ...instances.map((i, n) => gradedResult("small", i.id, n < 2, { cost: 0.01 })),
      ...instances.map((i, n) =>
        gradedResult("large", i.id, n < 3, {
          cost: 0.5,
          tokens: { prompt: 1800, completion: 200, total: 2000 },
        }),
      ),
    ];
    const report = buildReport("acme/x", instances, ["small", "large"], results);
    const [small, large] = report.profiles;
    expect(small).toMatchObject({
      resolved: 2,
      instances: 4,
      resolvedRate: 0.5,
      tokensPerInstance: 1000,
      cost: 0.04,
    });
    expect(large).toMatchObject({ resolved: 3, resolvedRate: 0.75, tokensPerInstance: 2000, cost: 2 });
    expect(large!.minutesPerInstance).toBe(1);
    expect(report.best).toBe("large");
    const tie = buildReport(
      "acme/x",
      instances,
      ["small", "large"],
      results.map((r) => ({ ...r, resolved: r.instance === "a#1" })),
    );
    expect(tie.best).toBe("small");
  });

  it("has no best when nothing was resolved, and no cost without a price", () => {
    const report = buildReport(
      "acme/x",
      instances,
      ["p"],
      instances.map((i) => gradedResult("p", i.id, false)),
    );
    expect(report.best).toBeUndefined();
    expect(report.profiles[0]!.cost).toBeNull();
  });

  it("writes a table per profile and one row per instance", () => {
    const results = [
      gradedResult("p", "a#1", true),
      gradedResult("p", "a#2", false),
      { ...gradedResult("p", "a#3", false), status: "error" as const, reason: "sandbox failed\nstack" },
    ];
    const markdown = reportMarkdown(buildReport("acme/x", instances, ["p"], results));
    expect(markdown).toContain(
      "| p (best) | p-model | 1/3 | 33% (6%–79%) | 1000 | 1.00 | n/a (no price) | 1 |",
    );
    expect(markdown).toContain(
      "| a#1 | ✅ resolved (FAIL_TO_PASS 1/1, PASS_TO_PASS 2/2; finished, 1000 tokens) |",
    );
    expect(markdown).toContain("| a#3 | error: sandbox failed |");
    expect(markdown).toContain("| a#4 | not run |");
  });
});
