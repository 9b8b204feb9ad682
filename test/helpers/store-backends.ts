import { afterAll, beforeAll } from "vitest";
import { openStore, type Store } from "../../store/open-store.ts";
import { openMemoryStore } from "./memory-store.ts";
import { createTestDatabase, postgresAvailable } from "./postgres.ts";

export interface Backend {
  name: "pglite" | "postgres";
  /** Opens a fresh, migrated store; `close` also removes its database. */
  open(): Promise<Store>;
}

/**
 * The store's tests run against both backends: PGlite in memory and a real PostgreSQL server
 * (a database of its own per store). PostgreSQL is left out only where no server answers, with a
 * message; CI makes that a failure.
 */
export const storeBackends: Backend[] = [
  { name: "pglite", open: openMemoryStore },
  ...(postgresAvailable
    ? [
        {
          name: "postgres" as const,
          async open() {
            const database = await createTestDatabase();
            const store = await openStore({ databaseUrl: database.url, maxConnections: 4 });
            return {
              ...store,
              close: async () => {
                await store.close();
                await database.drop();
              },
            };
          },
        },
      ]
    : []),
];

/**
 * The backend's store for the tests of the describe block this is called in: opened before them,
 * closed (its database removed) after. Its `db` is the open store's; reading it outside the block's
 * tests is an error.
 */
export function storeForSuite(backend: Backend): { readonly db: Store["db"] } {
  let store: Store | undefined;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(() => store?.close());
  return {
    get db() {
      if (!store) throw new Error(`the ${backend.name} store is open only inside the suite's tests`);
      return store.db;
    },
  };
}
