import { type Kysely, sql } from "kysely";

/** GitHub names are case-insensitive: the budget check sums spend by lower-cased owner and repository. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index runs_owner_lower on runs (lower(owner), dispatched_at)`.execute(db);
  await sql`create index runs_repository_lower on runs (lower(repository), dispatched_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index runs_repository_lower`.execute(db);
  await sql`drop index runs_owner_lower`.execute(db);
}
