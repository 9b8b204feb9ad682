// Run history (issue 19): recording a run and serving the dashboard's runs and repositories pages
// over 100,000 recorded runs, on the embedded store (PGlite in a data directory, what `npm start`
// uses) side by side with a PostgreSQL server (`DATABASE_URL`), in one run. Page times are server
// times: from the request reaching the dashboard's handler to the last byte of the page, session
// check, queries and HTML included. Two more rows show the design choices under the pages, each
// beside the naive way: keyset pagination vs OFFSET for a page deep in the history, and weekly
// totals kept by triggers (migration 0004) vs a grouped scan of the runs.

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { dashboard } from "../app/dashboard/dashboard.ts";
import { DashboardKeys } from "../app/dashboard/secrets.ts";
import { SESSION_COOKIE, sessionRowId } from "../app/dashboard/sessions.ts";
import { openStore, type Store } from "../store/open-store.ts";
import { encodeCursor, runsPage } from "../store/queries/runs-page.ts";
import { weeklyStats } from "../store/queries/weekly-stats.ts";
import { RunHistory } from "../store/run-history.ts";
import { createTestDatabase, postgresAvailable, TEST_SERVER_URL } from "../test/helpers/postgres.ts";
import { weeklyStatsFromRuns } from "../test/helpers/weekly-stats-from-runs.ts";
import { percentile, round, timeMs } from "./stats.ts";
import { SEED_REPOSITORIES, SEED_RUNS, seedRuns } from "./store-seed.ts";
import type { BenchArea, BenchRow } from "./types.ts";

const INSERTS = 300;
const PAGE_ROUNDS = 8;
const SECRET = "store-bench-secret-0123456789abcdef0123456789";

interface Measured {
  backend: string;
  seedS: number;
  insert: number[];
  record: number[];
  runsPage: number[];
  reposPage: number[];
  modelsPage: number[];
  keysetDeep: number[];
  offsetDeep: number[];
  keptTotals: number[];
  scannedTotals: number[];
}

/** The dashboard on loopback, timing each request inside the server. */
async function serveDashboard(store: Store) {
  const handler = dashboard({
    db: store.db,
    github: { api: "http://127.0.0.1:9", web: "http://127.0.0.1:9" },
    publicUrl: "http://127.0.0.1",
    secret: SECRET,
  });
  const serverTimes: number[] = [];
  const server: Server = createServer((request, response) => {
    const start = process.hrtime.bigint();
    response.on("finish", () => serverTimes.push(Number(process.hrtime.bigint() - start) / 1e6));
    void handler(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookie = `${SESSION_COOKIE}=${new DashboardKeys(SECRET).sign(await signIn(store))}`;
  /** Server time of one page; the page must be a 200 that lists what it should. */
  const get = async (path: string, expect: string): Promise<number> => {
    const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    if (response.status !== 200 || !body.includes(expect))
      throw new Error(`store bench: ${path} answered ${response.status} without "${expect}"`);
    return serverTimes.at(-1) ?? Number.NaN;
  };
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { get, close };
}

/** A signed-in session that may read every seeded repository (the widest reader: the slowest pages). */
async function signIn(store: Store): Promise<string> {
  const id = randomBytes(16).toString("base64url");
  const now = new Date();
  await store.db
    .insertInto("sessions")
    .values({
      id: sessionRowId(id),
      login: "alice",
      token_sealed: new DashboardKeys(SECRET).seal("gho_bench"),
      repositories: JSON.stringify(SEED_REPOSITORIES),
      repos_checked_at: now,
      created_at: now,
      expires_at: new Date(now.getTime() + 3_600_000),
    })
    .execute();
  return id;
}

async function measureInserts(store: Store, m: Measured): Promise<void> {
  const history = new RunHistory(store.db);
  const repo = { owner: "acme", name: "service-01" };
  for (let i = 0; i < INSERTS; i++) {
    const key = `bench-insert-${m.backend}-${i}`;
    const input = {
      key,
      source: "app" as const,
      repo,
      number: i + 1,
      kind: "fix-issue",
      actor: "alice",
      event: "issues",
      delivery: key,
      statusCommentId: 9_000_000 + i,
      at: new Date(),
    };
    m.insert.push(await timeMs(() => history.recordDispatch(input)));
  }
  // What the App writes over a task's whole life: dispatch, workflow run, outcome with usage.
  for (let i = 0; i < INSERTS / 3; i++) {
    const key = `bench-record-${m.backend}-${i}`;
    m.record.push(
      await timeMs(async () => {
        await history.recordDispatch({
          key,
          source: "app",
          repo,
          kind: "review",
          actor: "bob",
          at: new Date(),
        });
        await history.recordWorkflowRun(key, {
          id: 7_000_000 + i,
          repo: "acme/service-01",
          conclusion: "success",
        });
        await history.recordOutcome(key, {
          state: "succeeded",
          usage: {
            outcome: "finished",
            turns: 9,
            tokens: { prompt: 120_000, completion: 4_000 },
            phases: [{ name: "working", seconds: 60 }],
            verification: "passed",
            profile: "large",
            cost: 0.42,
          },
        });
      }),
    );
  }
}

/** The runs page as readers use it: unfiltered, by repository, by outcome and kind, by actor and dates, deep. */
async function runsPagePaths(store: Store): Promise<string[]> {
  const deep = await deepCursor(store);
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  return [
    "/dashboard/runs",
    `/dashboard/runs?repository=${encodeURIComponent("acme/service-01")}`,
    "/dashboard/runs?state=failed&kind=review",
    `/dashboard/runs?actor=carol&from=${day(60)}&to=${day(30)}`,
    `/dashboard/runs?repository=${encodeURIComponent("platform/service-08")}&state=cancelled`,
    `/dashboard/runs?after=${encodeURIComponent(deep)}`,
  ];
}

/** The cursor of the run half-way down the history (what "next" links lead to after 1,000 pages). */
async function deepCursor(store: Store): Promise<string> {
  const row = await store.db
    .selectFrom("runs")
    .select(["dispatched_at", "id"])
    .orderBy("dispatched_at", "desc")
    .orderBy("id", "desc")
    .offset(SEED_RUNS / 2)
    .limit(1)
    .executeTakeFirstOrThrow();
  return encodeCursor({ at: row.dispatched_at, id: row.id });
}

async function measurePages(store: Store, m: Measured): Promise<void> {
  const served = await serveDashboard(store);
  try {
    const paths = await runsPagePaths(store);
    // Warm-up: the first requests pay for planning, page cache and JIT; a serving App has paid them.
    for (const path of paths) await served.get(path, "Runs");
    await served.get("/dashboard/repositories", "Repositories");
    await served.get("/dashboard/models", "Models");
    for (let round = 0; round < PAGE_ROUNDS; round++) {
      for (const path of paths) m.runsPage.push(await served.get(path, "Runs"));
      m.reposPage.push(await served.get("/dashboard/repositories", "acme/service-01"));
      m.modelsPage.push(await served.get("/dashboard/models", "local-qwen"));
    }
  } finally {
    await served.close();
  }
}

/** The deep page's query alone: keyset (what the page does) vs OFFSET (the naive way). */
async function measureDeepPage(store: Store, m: Measured): Promise<void> {
  const deep = await deepCursor(store);
  const [at, id] = deep.split(".").map(Number) as [number, number];
  const offsetPage = () =>
    store.db
      .selectFrom("runs")
      .selectAll()
      .where("repository", "in", SEED_REPOSITORIES)
      .orderBy("dispatched_at", "desc")
      .orderBy("id", "desc")
      .offset(SEED_RUNS / 2)
      .limit(51)
      .execute();
  await offsetPage();
  for (let i = 0; i < PAGE_ROUNDS * 2; i++) {
    m.keysetDeep.push(
      await timeMs(() => runsPage(store.db, SEED_REPOSITORIES, {}, { at: new Date(at), id })),
    );
    m.offsetDeep.push(await timeMs(offsetPage));
  }
}

/** The repositories page's query alone: the weekly totals the triggers keep vs a grouped scan of the runs. */
async function measureTotals(store: Store, m: Measured): Promise<void> {
  const kept = await weeklyStats(store.db, SEED_REPOSITORIES, "repository");
  const scanned = await weeklyStatsFromRuns(store.db, SEED_REPOSITORIES, "repository");
  const runs = (groups: typeof kept) => groups.reduce((sum, g) => sum + g.total.runs, 0);
  if (runs(kept) !== runs(scanned) || runs(kept) === 0)
    throw new Error(`store bench: kept totals count ${runs(kept)} runs, the scan ${runs(scanned)}`);
  for (let i = 0; i < PAGE_ROUNDS; i++) {
    m.keptTotals.push(await timeMs(() => weeklyStats(store.db, SEED_REPOSITORIES, "repository")));
    m.scannedTotals.push(await timeMs(() => weeklyStatsFromRuns(store.db, SEED_REPOSITORIES, "repository")));
  }
}

async function measureBackend(backend: string, store: Store): Promise<Measured> {
  const m: Measured = {
    backend,
    seedS: 0,
    insert: [],
    record: [],
    runsPage: [],
    reposPage: [],
    modelsPage: [],
    keysetDeep: [],
    offsetDeep: [],
    keptTotals: [],
    scannedTotals: [],
  };
  m.seedS = await seedRuns(store.db, new Date());
  console.log(`store bench: ${backend}: ${SEED_RUNS} runs seeded in ${round(m.seedS, 1)} s`);
  await measureInserts(store, m);
  await measurePages(store, m);
  await measureDeepPage(store, m);
  await measureTotals(store, m);
  return m;
}

async function withPglite(): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-bench-store-"));
  const store = await openStore({ dataDir: dir });
  try {
    return await measureBackend("pglite", store);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function withPostgres(): Promise<Measured> {
  if (!postgresAvailable)
    throw new Error(
      `store bench: no PostgreSQL answers at ${new URL(TEST_SERVER_URL).host}; start one with \`bash scripts/postgres-server.sh\` (root) or set INHOUSE_TEST_DATABASE_URL`,
    );
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url });
  try {
    return await measureBackend("postgres", store);
  } finally {
    await store.close();
    await database.drop();
  }
}

const ms = (value: number) => `${round(value, 2)} ms`;
const at = (samples: number[], p: number) => percentile(samples, p);
const both = (samples: number[], main: 50 | 95) =>
  main === 50
    ? `p50 ${ms(at(samples, 50))} / p99 ${ms(at(samples, 99))}`
    : `p95 ${ms(at(samples, 95))} (p50 ${ms(at(samples, 50))})`;

function rows(lite: Measured, pg: Measured): BenchRow[] {
  const row = (measure: string, pick: (m: Measured) => number[], p: 50 | 95, goal: string): BenchRow => ({
    measure,
    ours: `PGlite: ${both(pick(lite), p)}`,
    naive: `PostgreSQL: ${both(pick(pg), p)}`,
    ratio: `${round(at(pick(lite), p) / at(pick(pg), p), 2)}x`,
    goal,
  });
  return [
    row("insert a run record (the dispatch)", (m) => m.insert, 50, "PGlite p50 <= 2 ms"),
    row("record a whole task (dispatch + workflow run + outcome)", (m) => m.record, 50, ""),
    row(`runs page over ${SEED_RUNS} runs, 6 filter/page mixes`, (m) => m.runsPage, 95, "p95 <= 150 ms"),
    row(`repositories page over ${SEED_RUNS} runs`, (m) => m.reposPage, 95, "p95 <= 150 ms"),
    row(`models page over ${SEED_RUNS} runs`, (m) => m.modelsPage, 95, ""),
    ...[lite, pg].map((m) => ({
      measure: `${m.backend}: page half-way down the history, query only`,
      ours: `keyset: ${both(m.keysetDeep, 50)}`,
      naive: `OFFSET ${SEED_RUNS / 2}: ${both(m.offsetDeep, 50)}`,
      ratio: `${round(at(m.offsetDeep, 50) / at(m.keysetDeep, 50), 1)}x faster`,
    })),
    ...[lite, pg].map((m) => ({
      measure: `${m.backend}: 12 weeks of totals per repository, query only`,
      ours: `kept by triggers: ${both(m.keptTotals, 50)}`,
      naive: `grouped scan of the runs: ${both(m.scannedTotals, 50)}`,
      ratio: `${round(at(m.scannedTotals, 50) / at(m.keptTotals, 50), 1)}x faster`,
    })),
  ];
}

const area: BenchArea = {
  name: "store",
  async run() {
    const loadBefore = loadavg()[0] ?? 0;
    const lite = await withPglite();
    const pg = await withPostgres();
    const load = `host load (1 min avg, 2-core goal machine) before ${round(loadBefore, 1)}, after ${round(loadavg()[0] ?? 0, 1)}`;
    return {
      rows: [...rows(lite, pg), { measure: load, ours: "" }],
      metrics: {
        "store.insert_p50_ms": round(at(lite.insert, 50), 3),
        "store.runs_page_p95_ms": round(at(lite.runsPage, 95), 1),
        "store.repos_page_p95_ms": round(at(lite.reposPage, 95), 1),
        "store.record_task_p50_ms": round(at(lite.record, 50), 2),
        "store.models_page_p95_ms": round(at(lite.modelsPage, 95), 1),
        "store.postgres.insert_p50_ms": round(at(pg.insert, 50), 3),
        "store.postgres.runs_page_p95_ms": round(at(pg.runsPage, 95), 1),
        "store.postgres.repos_page_p95_ms": round(at(pg.reposPage, 95), 1),
        "store.keyset_vs_offset_deep_page": round(at(lite.offsetDeep, 50) / at(lite.keysetDeep, 50), 1),
        "store.kept_vs_scanned_totals": round(at(lite.scannedTotals, 50) / at(lite.keptTotals, 50), 1),
        "store.seed_100k_s": round(lite.seedS, 1),
      },
    };
  },
};

export default area;
