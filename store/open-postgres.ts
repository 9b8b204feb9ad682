import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";
import { type Store, StoreError } from "./store.ts";

/** `host:port/database` of a URL, never its credentials. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The run history on a PostgreSQL server (`DATABASE_URL`), unmigrated. */
export async function openPostgres(url: string, max: number): Promise<Store> {
  const location = describeDatabaseUrl(url);
  if (!isPostgresUrl(url)) {
    throw new StoreError(
      `DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/inhouse (got ${location})`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // bigint columns (ids, tokens) fit in a double; read them as numbers, as PGlite does.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === 20
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, an administrator) must not crash the App: the
  // pool drops it and the next query opens a new one (node-postgres emits 'error' on the pool).
  pool.on("error", () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      `cannot reach the PostgreSQL server of DATABASE_URL (${location}): ${(error as Error).message}. ` +
        "Check DATABASE_URL and that the server is running, or unset it to use the embedded store in INHOUSE_DATA_DIR.",
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, backend: "postgres", location, close: () => db.destroy() };
}
