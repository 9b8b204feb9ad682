import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { migrateToLatest } from "../../store/migrate.ts";
import { openStore, type Store } from "../../store/open-store.ts";
import { PGliteDialect } from "../../store/pglite-dialect.ts";
import type { Database } from "../../store/schema.ts";

let template: Promise<Blob> | undefined;

/** initdb is most of PGlite's start-up (seconds on a loaded 2-core machine): run it once per process. */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pglite = await PGlite.create();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    await migrateToLatest(db);
    const dump = await pglite.dumpDataDir("none");
    await pglite.close();
    return dump;
  })();
  return template;
}

/** A fresh, migrated PGlite store in memory, started from a dump of a migrated one. */
export async function openMemoryStore(): Promise<Store> {
  return openStore({ dataDir: "memory", pgliteTemplate: await migratedTemplate() });
}
