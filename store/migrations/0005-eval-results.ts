import { type Kysely, sql } from "kysely";

/** `inhouse eval` summaries: one row per model profile per eval, read by the dashboard's models page. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("eval_results")
    .addColumn("id", "bigint", (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("repository", "text", (c) => c.notNull())
    .addColumn("profile", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("instances", "integer", (c) => c.notNull())
    .addColumn("resolved", "integer", (c) => c.notNull())
    .addColumn("ci_low", "double precision", (c) => c.notNull())
    .addColumn("ci_high", "double precision", (c) => c.notNull())
    .addColumn("tokens_per_instance", "bigint", (c) => c.notNull())
    .addColumn("minutes_per_instance", "double precision", (c) => c.notNull())
    .addColumn("cost", "double precision")
    .addColumn("best", "boolean", (c) => c.notNull())
    .addColumn("evaluated_at", "timestamptz", (c) => c.notNull())
    .execute();
  await sql`create index eval_results_repository on eval_results (lower(repository), evaluated_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("eval_results").execute();
}
