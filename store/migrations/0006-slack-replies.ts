import { type Kysely, sql } from "kysely";

/**
 * Slack's `response_url` of each slash command that opened an issue, so the App can answer in Slack
 * again when the task's PR opens (or the task ends without one). Kept in the store, never in the
 * issue: anyone who can read the repository could post into the channel with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("slack_replies")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("issue_number", "integer", (c) => c.notNull())
    .addColumn("response_url", "text", (c) => c.notNull())
    .addColumn("received_at", "timestamptz", (c) => c.notNull())
    .addColumn("uses", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`create unique index slack_replies_issue on slack_replies (lower(repository), issue_number)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("slack_replies").execute();
}
