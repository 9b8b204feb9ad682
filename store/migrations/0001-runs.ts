import { type Kysely, sql } from "kysely";

/** The runs table and the indexes its pages and the budget check read through. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("runs")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("task_key", "text", (c) => c.notNull().unique())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("number", "integer")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("automation", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("trigger_event", "text")
    .addColumn("delivery", "text")
    .addColumn("status_comment_id", "bigint")
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("dispatched_at", "timestamptz", (c) => c.notNull())
    .addColumn("run_queued_at", "timestamptz")
    .addColumn("started_at", "timestamptz")
    .addColumn("completed_at", "timestamptz")
    .addColumn("workflow_run_id", "bigint")
    .addColumn("workflow_run_repo", "text")
    .addColumn("workflow_run_url", "text")
    .addColumn("runner", "text")
    .addColumn("conclusion", "text")
    .addColumn("outcome", "text")
    .addColumn("turns", "integer")
    .addColumn("prompt_tokens", "bigint")
    .addColumn("completion_tokens", "bigint")
    .addColumn("cost", "double precision")
    .addColumn("phases", "jsonb")
    .addColumn("verification", "text")
    .addColumn("link", "text")
    .addColumn("pr_number", "integer")
    .addColumn("pr_state", "text")
    .addColumn("pr_closed_at", "timestamptz")
    .addColumn("blocked_hosts", "jsonb")
    .addColumn("profile", "text")
    .addColumn("audit_url", "text")
    .addColumn("duration_s", "double precision")
    .execute();
  // The runs page: newest first, keyset-paginated, optionally within one repository.
  await sql`create index runs_dispatched on runs (dispatched_at desc, id desc)`.execute(db);
  await sql`create index runs_repository_dispatched on runs (repository, dispatched_at desc, id desc)`.execute(
    db,
  );
  // The budget check: this month's spend of one owner (the repository index serves one repository).
  await sql`create index runs_owner_dispatched on runs (owner, dispatched_at)`.execute(db);
  // pull_request.closed finds the run that opened the PR.
  await sql`create index runs_pull on runs (repository, pr_number) where pr_number is not null`.execute(db);
  await sql`create index runs_workflow_run on runs (workflow_run_repo, workflow_run_id) where workflow_run_id is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("runs").execute();
}
