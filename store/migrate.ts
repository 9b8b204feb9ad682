import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export class MigrationError extends Error {}

/**
 * Brings the schema to the latest migration. Idempotent: applied migrations are skipped. Kysely's
 * PostgreSQL adapter takes a session advisory lock (`pg_advisory_lock`) around the whole run, so two
 * App processes starting at once apply each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    const which = failed ? ` in migration ${failed.migrationName}` : "";
    throw new MigrationError(
      `the run-history schema could not be brought up to date${which}: ${(error as Error | undefined)?.message ?? "unknown error"}. ` +
        "Check that the database user may create tables (DATABASE_URL), then start again; applied migrations are kept.",
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** Names of the migrations the code knows, in order. */
export function knownMigrations(): string[] {
  return Object.keys(migrations).sort();
}
