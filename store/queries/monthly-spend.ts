import { type Kysely, sql } from "kysely";
import type { Database } from "../schema.ts";

/** First instant of the calendar month (UTC) `now` falls in: budgets reset then. */
export function startOfMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Money spent this month by one repository (`owner/name`) or one owner, names compared case-insensitively as on GitHub. */
export async function monthlySpend(
  db: Kysely<Database>,
  scope: { repository: string } | { owner: string },
  now = new Date(),
): Promise<number> {
  const since = startOfMonth(now);
  const where =
    "repository" in scope
      ? sql`lower(repository) = lower(${scope.repository})`
      : sql`lower(owner) = lower(${scope.owner})`;
  const result = await sql<{ spent: number | string | null }>`
    select sum(cost) as spent from runs where ${where} and dispatched_at >= ${since}`.execute(db);
  return Number(result.rows[0]?.spent ?? 0);
}
