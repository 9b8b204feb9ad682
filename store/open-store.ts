import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.ts";
import { migrateToLatest } from "./migrate.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./schema.ts";

export type Backend = "pglite" | "postgres";

export interface Store {
  db: Kysely<Database>;
  backend: Backend;
  /** Where the data lives, for logs: a directory, or the server's host and database (no password). */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A PostgreSQL URL; when set, the server is the store. */
  databaseUrl?: string;
  /** The embedded store's directory; `memory` keeps it in memory (tests). */
  dataDir?: string;
  /** Run migrations on open (the App and the CLI do; the default). */
  migrate?: boolean;
  /** PostgreSQL pool size. */
  maxConnections?: number;
  /** A dumped data directory an in-memory store starts from (tests: skips initdb, seconds each). */
  pgliteTemplate?: Blob;
}

export class StoreError extends Error {}

/** Opens the run history: PostgreSQL when a URL is given, else PGlite in the data directory. Migrates. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : await openPglite(options.dataDir ?? "data", options.pgliteTemplate);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** `host:port/database` of a URL, never its credentials. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || "localhost"}${parsed.port ? `:${parsed.port}` : ""}${parsed.pathname}`;
  } catch {
    return "(an unparsable DATABASE_URL)";
  }
}

async function openPostgres(url: string, max: number): Promise<Store> {
  const location = describeDatabaseUrl(url);
  if (!/^postgres(ql)?:\/\//.test(url)) {
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

async function openPglite(dataDir: string, template?: Blob): Promise<Store> {
  if (dataDir === "memory") {
    const pglite = await PGlite.create(template ? { loadDataDir: template } : {});
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return { db, backend: "pglite", location: "memory", close: async () => closeBoth(db, pglite) };
  }
  const dir = resolve(dataDir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new StoreError(
      `cannot create the run-history directory ${dir} (${(error as NodeJS.ErrnoException).code}); set INHOUSE_DATA_DIR to a writable directory`,
    );
  }
  const unlock = await lockDataDir(dir);
  try {
    const pglite = await PGlite.create(join(dir, "pglite"));
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      backend: "pglite",
      location: dir,
      close: async () => {
        await closeBoth(db, pglite);
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw new StoreError(`cannot open the embedded run history in ${dir}: ${(error as Error).message}`);
  }
}

async function closeBoth(db: Kysely<Database>, pglite: PGlite): Promise<void> {
  await db.destroy();
  if (!pglite.closed) await pglite.close();
}
