import { migrateToLatest } from "./migrate.ts";
import { openPglite } from "./open-pglite.ts";
import { openPostgres } from "./open-postgres.ts";
import type { Store } from "./store.ts";

export { describeDatabaseUrl } from "./open-postgres.ts";
export { type Backend, type Store, StoreError } from "./store.ts";

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

/** Opens the run history: PostgreSQL when a URL is given, else PGlite in the data directory. Migrates. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.maxConnections ?? 10)
    : await openPglite(options.dataDir ?? "data", options.pgliteTemplate);
  if (options.migrate !== false) await migrated(store);
  return store;
}

/** Brings an open store's schema up to date; closes it when that fails. */
export async function migrated(store: Store): Promise<Store> {
  try {
    await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
