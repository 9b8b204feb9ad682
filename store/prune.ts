import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Retention: runs dispatched before the cutoff and expired sessions are deleted. The audit logs
 * themselves live in the workflow runs' artifacts, which GitHub expires on its own schedule.
 */
export async function pruneHistory(
  db: Kysely<Database>,
  retentionDays: number,
  now = new Date(),
): Promise<{ runs: number; sessions: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const runs = await db.deleteFrom("runs").where("dispatched_at", "<", cutoff).executeTakeFirst();
  // The triggers took the deleted runs off their weeks; weeks left with no run go too.
  await db.deleteFrom("run_weeks").where("runs", "=", 0).execute();
  const sessions = await db.deleteFrom("sessions").where("expires_at", "<", now).executeTakeFirst();
  // The embedded store has no autovacuum (PGlite is one process): without this its planner would
  // never learn how many runs there are. On a server it repeats what autovacuum does, cheaply.
  await sql`analyze runs`.execute(db);
  await sql`analyze run_weeks`.execute(db);
  return { runs: Number(runs.numDeletedRows), sessions: Number(sessions.numDeletedRows) };
}
