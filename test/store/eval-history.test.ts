import { describe, expect, it } from "vitest";
import { latestEvalResults, recordEvalSummary } from "../../store/eval-history.ts";
import { storeBackends, storeForSuite } from "../helpers/store-backends.ts";

const profile = (name: string, resolved: number, cost: number | null) => ({
  profile: name,
  model: `${name}-model`,
  instances: 6,
  resolved,
  confidence95: { low: 0.1, high: 0.9 },
  tokensPerInstance: 40_000,
  minutesPerInstance: 3.25,
  cost,
});

describe.each(storeBackends)("eval results on $name", (backend) => {
  const store = storeForSuite(backend);

  it("keeps every eval and answers the latest per repository and profile, for readable repositories only", async () => {
    await recordEvalSummary(store.db, {
      repository: "acme/widget",
      evaluatedAt: new Date("2026-01-01T00:00:00Z"),
      best: "small",
      profiles: [profile("small", 2, null), profile("large", 1, 0.5)],
    });
    await recordEvalSummary(store.db, {
      repository: "Acme/Widget",
      evaluatedAt: new Date("2026-02-01T00:00:00Z"),
      best: "large",
      profiles: [profile("large", 5, 0.75)],
    });
    await recordEvalSummary(store.db, {
      repository: "acme/secret",
      evaluatedAt: new Date("2026-02-01T00:00:00Z"),
      profiles: [profile("large", 6, 1)],
    });
    const rows = await latestEvalResults(store.db, ["acme/widget"]);
    expect(rows.map((r) => [r.profile, r.resolved, r.best, r.cost, r.tokens_per_instance])).toEqual([
      ["large", 5, true, 0.75, 40_000],
      ["small", 2, true, null, 40_000],
    ]);
    expect(rows[0]!.evaluated_at).toEqual(new Date("2026-02-01T00:00:00Z"));
    expect(await latestEvalResults(store.db, [])).toEqual([]);
  });
});
