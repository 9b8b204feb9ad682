import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.ts";

/**
 * Retention: runs dispatched before the cutoff, expired sessions and dead Slack response_urls are deleted. The audit logs
 * themselves live in the workflow runs' artifacts, which GitHub expires on its own schedule.
 */
export async function pruneHistory(
  db: Kysely<Database>,
  retentionDays: number,
  now = new Date(),
): Promise<{ runs: number; sessions: number; slackReplies: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const runs = await db.deleteFrom("runs").where("dispatched_at", "<", cutoff).executeTakeFirst();
  // The triggers took the deleted runs off their weeks; weeks left with no run go too.
  await db.deleteFrom("run_weeks").where("runs", "=", 0).execute();
  const sessions = await db.deleteFrom("sessions").where("expires_at", "<", now).executeTakeFirst();
  // Slack accepts a response_url for 30 minutes (app/intake/slack-response-url.ts): a day-old one is dead.
  const slackReplies = await db
    .deleteFrom("slack_replies")
    .where("received_at", "<", new Date(now.getTime() - 86_400_000))
    .executeTakeFirst();
  // The embedded store has no autovacuum (PGlite is one process): without this its planner would
  // never learn how many runs there are. On a server it repeats what autovacuum does, cheaply.
  await sql`analyze runs`.execute(db);
  await sql`analyze run_weeks`.execute(db);
  return {
    runs: Number(runs.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    slackReplies: Number(slackReplies.numDeletedRows),
  };
}
