import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";

/** One group (a repository or a model profile) in one week. */
export interface WeekStats {
  week: string;
  runs: number;
  succeeded: number;
  pulls: number;
  merged: number;
  tokens: number;
  minutes: number;
  cost: number;
}

export interface GroupStats {
  group: string;
  total: WeekStats;
  weeks: WeekStats[];
}

export const STATS_WEEKS = 12;

export interface WeekRow {
  grp: string | null;
  /** `YYYY-MM-DD`, the Monday the week starts on. */
  week: string;
  runs: number | string;
  succeeded: number | string;
  pulls: number | string;
  merged: number | string;
  tokens: number | string | null;
  seconds: number | string | null;
  cost: number | string | null;
}

/**
 * Success and merge rates, tokens, minutes and cost per week over the last weeks, grouped by
 * repository or by model profile, for the repositories the reader may see. Read from the weekly
 * totals the triggers of migration 0004 keep (`run_weeks`): at most repositories × profiles × weeks
 * rows, however many runs were recorded. The per-week series feed the charts.
 */
export async function weeklyStats(
  db: Kysely<Database>,
  visible: readonly string[],
  by: "repository" | "profile",
  now = new Date(),
  weeks = STATS_WEEKS,
): Promise<GroupStats[]> {
  if (visible.length === 0) return [];
  const since = firstWeek(now, weeks);
  const column = by === "repository" ? sql`repository` : sql`nullif(profile, '')`;
  const result = await sql<WeekRow>`
    select ${column} as grp, to_char(week, 'YYYY-MM-DD') as week,
      sum(runs) as runs, sum(succeeded) as succeeded, sum(pulls) as pulls, sum(merged) as merged,
      sum(tokens) as tokens, sum(seconds) as seconds, sum(cost) as cost
    from run_weeks
    where week >= ${since}::date and repository in (${sql.join([...visible])})
    group by 1, 2
    having sum(runs) <> 0
    order by 1, 2`.execute(db);
  return groupWeeks(result.rows, since, weeks);
}

/** `YYYY-MM-DD` of the Monday the first of the last `weeks` weeks starts on. */
export function firstWeek(now: Date, weeks = STATS_WEEKS): string {
  const since = startOfWeek(now);
  since.setUTCDate(since.getUTCDate() - 7 * (weeks - 1));
  return since.toISOString().slice(0, 10);
}

export function groupWeeks(rows: WeekRow[], since: string, weeks: number): GroupStats[] {
  const labels = Array.from({ length: weeks }, (_, i) => {
    const day = new Date(`${since}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 7 * i);
    return day.toISOString().slice(0, 10);
  });
  const groups = new Map<string, Map<string, WeekStats>>();
  for (const row of rows) {
    const name = row.grp ?? "(none)";
    const week = row.week;
    const byWeek = groups.get(name) ?? new Map<string, WeekStats>();
    groups.set(name, byWeek);
    byWeek.set(week, {
      week,
      runs: Number(row.runs),
      succeeded: Number(row.succeeded),
      pulls: Number(row.pulls),
      merged: Number(row.merged),
      tokens: Number(row.tokens ?? 0),
      minutes: Number(row.seconds ?? 0) / 60,
      cost: Number(row.cost ?? 0),
    });
  }
  return [...groups].map(([name, byWeek]) => {
    const series = labels.map((week) => byWeek.get(week) ?? emptyWeek(week));
    return { group: name, weeks: series, total: series.reduce(addWeek, emptyWeek("total")) };
  });
}

function emptyWeek(week: string): WeekStats {
  return { week, runs: 0, succeeded: 0, pulls: 0, merged: 0, tokens: 0, minutes: 0, cost: 0 };
}

function addWeek(a: WeekStats, b: WeekStats): WeekStats {
  return {
    week: a.week,
    runs: a.runs + b.runs,
    succeeded: a.succeeded + b.succeeded,
    pulls: a.pulls + b.pulls,
    merged: a.merged + b.merged,
    tokens: a.tokens + b.tokens,
    minutes: a.minutes + b.minutes,
    cost: a.cost + b.cost,
  };
}

/** Monday 00:00 UTC of the week `date` falls in (PostgreSQL's `date_trunc('week')`). */
export function startOfWeek(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day;
}
