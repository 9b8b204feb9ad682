import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../store/open-store.ts";
import { pruneHistory } from "../../store/prune.ts";
import { monthlySpend } from "../../store/queries/monthly-spend.ts";
import { decodeCursor, encodeCursor, runById, runsPage } from "../../store/queries/runs-page.ts";
import { weeklyStats } from "../../store/queries/weekly-stats.ts";
import type { NewRun } from "../../store/schema.ts";
import { storeBackends } from "../helpers/store-backends.ts";

const NOW = new Date("2026-03-18T12:00:00Z"); // a Wednesday

function run(i: number, fields: Partial<NewRun>): NewRun {
  return {
    task_key: `k${i}`,
    source: "app",
    repository: "acme/widget",
    owner: "acme",
    kind: "fix-issue",
    actor: "alice",
    state: "succeeded",
    dispatched_at: new Date(NOW.getTime() - i * 3_600_000),
    ...fields,
  };
}

describe.each(storeBackends)("queries on $name", (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
    const rows: NewRun[] = [];
    for (let i = 0; i < 120; i++) {
      rows.push(
        run(i, {
          repository: i % 3 === 0 ? "acme/secret" : "acme/widget",
          kind: i % 2 === 0 ? "fix-issue" : "review",
          actor: i % 5 === 0 ? "bob" : "alice",
          state: i % 4 === 0 ? "failed" : "succeeded",
          prompt_tokens: 1000,
          completion_tokens: 100,
          cost: 0.5,
          duration_s: 60,
          profile: i % 2 === 0 ? "large" : "fast",
          pr_number: i % 2 === 0 ? i + 1 : null,
          pr_state: i % 4 === 2 ? "merged" : i % 2 === 0 ? "open" : null,
        }),
      );
    }
    rows.push(run(500, { owner: "other", repository: "other/thing", cost: 9 }));
    rows.push(run(501, { dispatched_at: new Date("2025-01-01T00:00:00Z"), cost: 100 }));
    await store.db.insertInto("runs").values(rows).execute();
  });
  afterAll(() => store.close());

  it("pages through the runs a reader may see, newest first, without gaps or repeats", async () => {
    const seen: number[] = [];
    let cursor: ReturnType<typeof decodeCursor>;
    for (let page = 0; page < 10; page++) {
      const result = await runsPage(store.db, ["acme/widget"], {}, cursor, 30);
      seen.push(...result.runs.map((r) => r.id));
      expect(result.runs.every((r) => r.repository === "acme/widget")).toBe(true);
      if (!result.next) break;
      cursor = decodeCursor(encodeCursor(result.next));
    }
    expect(seen).toHaveLength(81); // 80 of the 120 plus the old one
    expect(new Set(seen).size).toBe(81);
  });

  it("pages through runs dispatched in the same instant without gaps or repeats (the cursor's id breaks ties)", async () => {
    const tied = new Date("2024-01-01T00:00:00Z");
    const rows = Array.from({ length: 7 }, (_, i) =>
      run(600 + i, { repository: "acme/tied", dispatched_at: tied }),
    );
    await store.db.insertInto("runs").values(rows).execute();
    const seen: string[] = [];
    let cursor: ReturnType<typeof decodeCursor>;
    for (let page = 0; page < 10; page++) {
      const result = await runsPage(store.db, ["acme/tied"], {}, cursor, 3);
      seen.push(...result.runs.map((r) => r.task_key));
      if (!result.next) break;
      cursor = decodeCursor(encodeCursor(result.next));
    }
    expect(seen.sort()).toEqual(rows.map((r) => r.task_key).sort());
    await store.db.deleteFrom("runs").where("repository", "=", "acme/tied").execute();
  });

  it("filters by repository, kind, outcome, actor and day, and never past what the reader may see", async () => {
    const visible = ["acme/widget"];
    const secret = await runsPage(store.db, visible, { repository: "acme/secret" });
    expect(secret.runs).toEqual([]);
    const page = await runsPage(store.db, ["acme/widget", "acme/secret"], {
      repository: "acme/secret",
      kind: "fix-issue",
      state: "failed",
      actor: "bob",
    });
    // i divisible by 3 (secret), 2 (fix-issue), 4 (failed) and 5 (bob): 0 and 60.
    expect(page.runs.map((r) => r.task_key)).toEqual(["k0", "k60"]);
    const day = await runsPage(store.db, visible, { from: "2026-03-17", to: "2026-03-17" });
    expect(day.runs.length).toBeGreaterThan(0);
    expect(day.runs.every((r) => r.dispatched_at.toISOString().startsWith("2026-03-17"))).toBe(true);
  });

  it("shows one run only to a reader of its repository", async () => {
    const { runs } = await runsPage(store.db, ["acme/secret"], {}, undefined, 1);
    const id = runs[0]!.id;
    expect((await runById(store.db, ["acme/secret"], id))?.repository).toBe("acme/secret");
    expect(await runById(store.db, ["acme/widget"], id)).toBeUndefined();
  });

  it("sums weeks per repository and per model profile", async () => {
    const byRepo = await weeklyStats(store.db, ["acme/widget", "acme/secret"], "repository", NOW);
    const widget = byRepo.find((g) => g.group === "acme/widget")!;
    expect(widget.weeks).toHaveLength(12);
    expect(widget.total.runs).toBe(80);
    expect(widget.total.tokens).toBe(80 * 1100);
    expect(widget.total.minutes).toBe(80);
    expect(widget.total.cost).toBeCloseTo(40);
    expect(widget.weeks.at(-1)!.week).toBe("2026-03-16");
    const byModel = await weeklyStats(store.db, ["acme/widget", "acme/secret"], "profile", NOW);
    const large = byModel.find((g) => g.group === "large")!;
    expect(large.total.runs).toBe(60);
    expect(large.total.pulls).toBe(60);
    expect(large.total.merged).toBe(30);
  });

  it("sums this month's spend of a repository and of an owner", async () => {
    expect(await monthlySpend(store.db, { repository: "acme/widget" }, NOW)).toBeCloseTo(40);
    expect(await monthlySpend(store.db, { owner: "acme" }, NOW)).toBeCloseTo(60);
    expect(await monthlySpend(store.db, { owner: "nobody" }, NOW)).toBe(0);
  });

  it("prunes runs older than the retention and keeps the rest", async () => {
    const pruned = await pruneHistory(store.db, 365, NOW);
    expect(pruned.runs).toBe(1);
    const left = await store.db
      .selectFrom("runs")
      .select("task_key")
      .where("task_key", "=", "k501")
      .execute();
    expect(left).toEqual([]);
  });

  it("leaves the planner statistics current after pruning (PGlite has no autovacuum to do it)", async () => {
    const estimate = () =>
      sql<{ rows: number }>`select reltuples::integer as rows from pg_class where relname = 'runs'`.execute(
        store.db,
      );
    await sql`insert into runs (task_key, source, repository, owner, kind, actor, state, dispatched_at)
      select 'stat-' || i, 'app', 'acme/stats', 'acme', 'review', 'bob', 'queued', now()
      from generate_series(1, 500) as i`.execute(store.db);
    await pruneHistory(store.db, 365, NOW);
    const count = await store.db
      .selectFrom("runs")
      .select((e) => e.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect((await estimate()).rows[0]?.rows).toBe(Number(count.n));
    await store.db.deleteFrom("runs").where("repository", "=", "acme/stats").execute();
  });
});
