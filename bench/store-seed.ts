// 100,000 recorded runs for the store bench, shaped like a team's history: 40 repositories of two
// organisations, every kind and outcome, usage on the runs that ran, PRs merged and closed, spread
// evenly over the App's default retention window (older rows would have been pruned). Rows go in
// 1,000 per statement with the weekly-totals triggers held off, then the totals are filled the way
// migration 0004 fills them: seeding is set-up, not what is measured (row by row through the
// triggers it takes minutes).
import { type Kysely, sql } from "kysely";
import { DEFAULT_RETENTION_DAYS } from "../app/history-settings.ts";
import { fillRunWeeks } from "../store/migrations/0004-run-weeks.ts";
import { pruneHistory } from "../store/prune.ts";
import type { Database, NewRun, RunState } from "../store/schema.ts";

export const SEED_RUNS = 100_000;
const BATCH = 1_000;
const KINDS = ["fix-issue", "fix-pr", "review", "automation"] as const;
const ACTORS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];
const PROFILES = ["large", "fast", "local-qwen"];
const PHASE_NAMES = ["provisioning", "working", "verifying", "publishing"];

export const SEED_REPOSITORIES = Array.from(
  { length: 40 },
  (_, i) => `${i % 4 === 0 ? "platform" : "acme"}/service-${String(i).padStart(2, "0")}`,
);

/** A small deterministic generator (mulberry32), so both backends get the same rows. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function stateOf(roll: number): RunState {
  if (roll < 0.03) return "refused";
  if (roll < 0.72) return "succeeded";
  if (roll < 0.92) return "failed";
  return "cancelled";
}

function seedRow(i: number, next: () => number, now: number): NewRun {
  const repository = pick(next, SEED_REPOSITORIES);
  const [owner] = repository.split("/") as [string];
  const kind = pick(next, KINDS);
  const state = stateOf(next());
  const dispatched = new Date(
    now - Math.floor(((i + next()) / SEED_RUNS) * DEFAULT_RETENTION_DAYS * 86_400_000),
  );
  const base: NewRun = {
    task_key: `${repository}#c${1_000_000 + i}`,
    source: kind === "automation" ? "automation" : "app",
    repository,
    owner,
    number: 1 + Math.floor(next() * 5_000),
    kind,
    automation: kind === "automation" ? "dependency-update" : null,
    actor: pick(next, ACTORS),
    trigger_event: kind === "review" || kind === "fix-pr" ? "issue_comment" : "issues",
    delivery: `bench-delivery-${i}`,
    status_comment_id: 1_000_000 + i,
    state,
    reason: state === "refused" ? "monthly budget reached" : `${state}: run ${i}`,
    dispatched_at: dispatched,
  };
  if (state === "refused") return base;
  const seconds = PHASE_NAMES.map((name) => ({ name, seconds: Math.round(5 + next() * 300) }));
  const prompt = Math.floor(20_000 + next() * 800_000);
  const completion = Math.floor(1_000 + next() * 40_000);
  const pr = state === "succeeded" && kind !== "review" ? 10_000 + i : null;
  const closed = pr && next() < 0.7 ? (next() < 0.8 ? "merged" : "closed") : null;
  const runUrl = `https://github.example/${repository}/actions/runs/${5_000_000 + i}`;
  return {
    ...base,
    started_at: new Date(dispatched.getTime() + 4_000),
    completed_at: new Date(dispatched.getTime() + 4_000 + seconds.reduce((s, p) => s + p.seconds, 0) * 1000),
    workflow_run_id: 5_000_000 + i,
    workflow_run_repo: repository,
    workflow_run_url: runUrl,
    audit_url: `${runUrl}#artifacts`,
    runner: `runner-${i % 6}`,
    conclusion: state === "succeeded" ? "success" : state === "cancelled" ? "cancelled" : "failure",
    outcome: state === "succeeded" ? "finished" : state === "failed" ? "budget" : "cancelled",
    turns: 3 + Math.floor(next() * 37),
    prompt_tokens: prompt,
    completion_tokens: completion,
    cost: (prompt * 3 + completion * 15) / 1_000_000,
    phases: JSON.stringify(seconds),
    verification: state === "succeeded" ? "passed" : "failed",
    link: pr ? `https://github.example/${repository}/pull/${pr}` : null,
    pr_number: pr,
    pr_state: pr ? (closed ?? "open") : null,
    pr_closed_at: closed ? new Date(dispatched.getTime() + 86_400_000) : null,
    blocked_hosts: JSON.stringify(next() < 0.05 ? ["registry.example.com"] : []),
    profile: pick(next, PROFILES),
    duration_s: seconds.reduce((s, p) => s + p.seconds, 0),
  };
}

/** Inserts `count` runs dispatched over the retention window before `now`; returns the seconds it took. */
export async function seedRuns(db: Kysely<Database>, now: Date, count = SEED_RUNS): Promise<number> {
  const started = performance.now();
  const next = random(19);
  // One connection: session_replication_role (triggers off for this session) is per connection.
  await db.connection().execute(async (session) => {
    await sql`set session_replication_role = replica`.execute(session);
    try {
      for (let from = 0; from < count; from += BATCH) {
        const rows = Array.from({ length: Math.min(BATCH, count - from) }, (_, j) =>
          seedRow(from + j, next, now.getTime()),
        );
        await session.insertInto("runs").values(rows).execute();
      }
    } finally {
      await sql`set session_replication_role = origin`.execute(session);
    }
    await sql`truncate run_weeks`.execute(session);
    await fillRunWeeks(session);
  });
  // What the App does at start-up: prune, which also refreshes the planner's statistics.
  await pruneHistory(db, DEFAULT_RETENTION_DAYS, now);
  return (performance.now() - started) / 1000;
}
