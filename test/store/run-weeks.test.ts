import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { pruneHistory } from "../../store/prune.ts";
import { type GroupStats, weeklyStats } from "../../store/queries/weekly-stats.ts";
import { RunHistory } from "../../store/run-history.ts";
import { storeBackends, storeForSuite } from "../helpers/store-backends.ts";
import { weeklyStatsFromRuns } from "../helpers/weekly-stats-from-runs.ts";

const NOW = new Date("2026-03-18T12:00:00Z"); // a Wednesday
const REPOS = ["acme/widget", "acme/gadget"];
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

/** Floating sums taken off and put back differ in the last bits: compare money to the cent. */
function rounded(groups: GroupStats[]): unknown {
  return groups.map((g) => ({
    ...g,
    total: { ...g.total, cost: Math.round(g.total.cost * 100) },
    weeks: g.weeks.map((w) => ({ ...w, cost: Math.round(w.cost * 100) })),
  }));
}

describe.each(storeBackends)("weekly totals kept by triggers on $name", (backend) => {
  const store = storeForSuite(backend);
  let history: RunHistory;
  beforeAll(() => {
    history = new RunHistory(store.db);
  });

  /** The pages' totals (read from run_weeks) equal the totals computed from the runs, both ways. */
  async function expectTotalsMatchRuns(): Promise<GroupStats[]> {
    for (const by of ["repository", "profile"] as const) {
      const kept = await weeklyStats(store.db, REPOS, by, NOW);
      expect(rounded(kept), `by ${by}`).toEqual(rounded(await weeklyStatsFromRuns(store.db, REPOS, by, NOW)));
    }
    return weeklyStats(store.db, REPOS, "repository", NOW);
  }

  const dispatch = (key: string, repo: string, at: Date) => {
    const [owner, name] = repo.split("/") as [string, string];
    return history.recordDispatch({
      key,
      source: "app",
      repo: { owner, name },
      kind: "fix-issue",
      actor: "alice",
      at,
    });
  };
  const usage = (profile: string, pr?: number) => ({
    outcome: "finished",
    turns: 4,
    tokens: { prompt: 1_000, completion: 100 },
    phases: [{ name: "working", seconds: 90 }],
    verification: "passed" as const,
    profile,
    cost: 0.37,
    ...(pr ? { pr } : {}),
  });

  it("follow a task's life: dispatched, started, ended with usage, its PR merged", async () => {
    await dispatch("t1", "acme/widget", hoursAgo(2));
    let totals = await expectTotalsMatchRuns();
    expect(totals[0]?.total).toMatchObject({ runs: 1, succeeded: 0, tokens: 0 });
    await history.recordWorkflowRun("t1", { id: 1, repo: "acme/widget", conclusion: null });
    await history.recordStarted("t1", hoursAgo(1));
    await history.recordOutcome("t1", { state: "succeeded", usage: usage("large", 7) });
    totals = await expectTotalsMatchRuns();
    expect(totals[0]?.total).toMatchObject({
      runs: 1,
      succeeded: 1,
      pulls: 1,
      merged: 0,
      tokens: 1_100,
      minutes: 1.5,
    });
    await history.recordPullClosed({ owner: "acme", name: "widget" }, 7, true, NOW);
    totals = await expectTotalsMatchRuns();
    expect(totals[0]?.total).toMatchObject({ merged: 1 });
  });

  it("never count refused runs, and count failures and cancels as runs that did not succeed", async () => {
    await history.recordDispatch(
      {
        key: "r1",
        source: "app",
        repo: { owner: "acme", name: "gadget" },
        kind: "fix-issue",
        actor: "eve",
        at: hoursAgo(3),
      },
      "refused",
      "over budget",
    );
    await dispatch("f1", "acme/gadget", hoursAgo(4));
    await history.recordOutcome("f1", { state: "failed", usage: usage("fast") });
    await dispatch("c1", "acme/gadget", hoursAgo(5));
    await history.recordOutcome("c1", { state: "cancelled" });
    const totals = await expectTotalsMatchRuns();
    expect(totals.find((g) => g.group === "acme/gadget")?.total).toMatchObject({ runs: 2, succeeded: 0 });
  });

  it("move a run whose week, repository or profile changes, in either direction of the key order", async () => {
    await dispatch("m1", "acme/widget", hoursAgo(6));
    await history.recordOutcome("m1", { state: "succeeded", usage: usage("fast") });
    await store.db.updateTable("runs").set({ profile: "large" }).where("task_key", "=", "m1").execute();
    await expectTotalsMatchRuns();
    await store.db.updateTable("runs").set({ profile: "a-first" }).where("task_key", "=", "m1").execute();
    await expectTotalsMatchRuns();
    await store.db
      .updateTable("runs")
      .set({ dispatched_at: hoursAgo(24 * 15) })
      .where("task_key", "=", "m1")
      .execute();
    await expectTotalsMatchRuns();
    await store.db
      .updateTable("runs")
      .set({ repository: "acme/gadget" })
      .where("task_key", "=", "m1")
      .execute();
    await expectTotalsMatchRuns();
  });

  it("take pruned runs off, and drop the weeks left empty", async () => {
    await dispatch("old", "acme/widget", new Date("2025-06-02T10:00:00Z"));
    await history.recordOutcome("old", { state: "succeeded", usage: usage("large") });
    const weekRows = () =>
      store.db.selectFrom("run_weeks").select(sql<string>`to_char(week, 'YYYY-MM-DD')`.as("week")).execute();
    expect((await weekRows()).map((r) => r.week)).toContain("2025-06-02");
    await pruneHistory(store.db, 180, NOW);
    expect((await weekRows()).map((r) => r.week)).not.toContain("2025-06-02");
    await expectTotalsMatchRuns();
  });

  it("hold after many random changes", async () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const states = ["succeeded", "failed", "cancelled", "running"] as const;
    for (let i = 0; i < 60; i++) {
      const key = `rand-${i}`;
      await dispatch(key, REPOS[i % 2]!, hoursAgo(Math.floor(next() * 24 * 90)));
      if (next() < 0.8) {
        const state = states[Math.floor(next() * states.length)]!;
        await history.recordOutcome(
          key,
          state === "running" ? { state } : { state, usage: usage(next() < 0.5 ? "large" : "fast", 100 + i) },
        );
      }
      if (next() < 0.3)
        await history.recordPullClosed(
          { owner: "acme", name: i % 2 ? "gadget" : "widget" },
          100 + i,
          next() < 0.5,
          NOW,
        );
      if (next() < 0.1) await store.db.deleteFrom("runs").where("task_key", "=", key).execute();
    }
    await expectTotalsMatchRuns();
  });
});
