import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { lockDataDir } from "./data-dir-lock.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./schema.ts";
import { type Store, StoreError } from "./store.ts";

/** The embedded run history (PGlite) in `dataDir`, locked to this process; `memory` for tests. Unmigrated. */
export async function openPglite(dataDir: string, template?: Blob): Promise<Store> {
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
