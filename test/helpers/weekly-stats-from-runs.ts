import { type Kysely, sql } from "kysely";
import {
  firstWeek,
  type GroupStats,
  groupWeeks,
  STATS_WEEKS,
  type WeekRow,
} from "../../store/queries/weekly-stats.ts";
import type { Database } from "../../store/schema.ts";

/**
 * The weekly totals computed from the runs themselves, one grouped scan: what the dashboard did
 * before migration 0004, kept as the definition the triggers' totals must equal (tests) and as the
 * naive way beside them (bench store).
 */
export async function weeklyStatsFromRuns(
  db: Kysely<Database>,
  visible: readonly string[],
  by: "repository" | "profile",
  now = new Date(),
  weeks = STATS_WEEKS,
): Promise<GroupStats[]> {
  if (visible.length === 0) return [];
  const since = firstWeek(now, weeks);
  const column = by === "repository" ? sql.ref("repository") : sql.ref("profile");
  const result = await sql<WeekRow>`
    select ${column} as grp,
      to_char(date_trunc('week', dispatched_at at time zone 'UTC'), 'YYYY-MM-DD') as week,
      count(*) as runs,
      count(*) filter (where state = 'succeeded') as succeeded,
      count(pr_number) as pulls,
      count(*) filter (where pr_state = 'merged') as merged,
      sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)) as tokens,
      sum(duration_s) as seconds,
      sum(cost) as cost
    from runs
    where dispatched_at >= ${`${since}T00:00:00Z`}::timestamptz and repository in (${sql.join([...visible])})
      and state <> 'refused'
    group by 1, 2
    order by 1, 2`.execute(db);
  return groupWeeks(result.rows, since, weeks);
}
