import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { knownMigrations, migrateToLatest } from "../../store/migrate.ts";
import { openStore, StoreError } from "../../store/open-store.ts";
import { createTestDatabase, postgresAvailable } from "../helpers/postgres.ts";
import { storeBackends } from "../helpers/store-backends.ts";

async function appliedMigrations(store: Awaited<ReturnType<typeof openStore>>): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
    store.db,
  );
  return result.rows.map((row) => row.name);
}

describe.each(storeBackends)("migrations on $name", { timeout: 120_000 }, (backend) => {
  it("bring an empty database to the latest schema, and a second run changes nothing", async () => {
    // Not the migrated template: a store that starts empty.
    const store = backend.name === "pglite" ? await openStore({ dataDir: "memory" }) : await backend.open();
    try {
      expect(await appliedMigrations(store)).toEqual(knownMigrations());
      expect(await migrateToLatest(store.db)).toEqual([]);
      expect(await appliedMigrations(store)).toEqual(knownMigrations());
      const tables = await store.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["runs", "sessions"]));
    } finally {
      await store.close();
    }
  });
});

describe.runIf(postgresAvailable)("migrations on a shared PostgreSQL server", () => {
  it("two App processes starting at once apply each migration exactly once (advisory lock)", async () => {
    const database = await createTestDatabase();
    try {
      const stores = await Promise.all(
        Array.from({ length: 4 }, () => openStore({ databaseUrl: database.url, migrate: false })),
      );
      const applied = await Promise.all(stores.map((store) => migrateToLatest(store.db)));
      // Whoever got the lock first applied everything; the others found nothing left to do.
      expect(applied.flat().sort()).toEqual(knownMigrations());
      expect(await appliedMigrations(stores[0]!)).toEqual(knownMigrations());
      await Promise.all(stores.map((store) => store.close()));
    } finally {
      await database.drop();
    }
  });

  it("an unreachable DATABASE_URL is an error that names the setting and hides the password", async () => {
    const error = await openStore({ databaseUrl: "postgres://u:hunter2@127.0.0.1:1/inhouse" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toMatch(/DATABASE_URL \(127\.0\.0\.1:1\/inhouse\)/);
    expect((error as Error).message).not.toContain("hunter2");
  });
});

// Each of these runs initdb in a real directory: seconds apiece on a loaded 2-core machine.
describe("the embedded store in INHOUSE_DATA_DIR", { timeout: 180_000 }, () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "inhouse-data-"));
    dirs.push(dir);
    return dir;
  }

  it("keeps what was recorded across a restart", async () => {
    const dir = await dataDir();
    const first = await openStore({ dataDir: dir });
    await sql`insert into sessions values ('s1', 'alice', 'x', '[]', now(), now(), now())`.execute(first.db);
    await first.close();
    const second = await openStore({ dataDir: dir });
    const rows = await second.db.selectFrom("sessions").select("login").execute();
    expect(rows).toEqual([{ login: "alice" }]);
    await second.close();
  });

  it("refuses a second process on the same directory and says to use DATABASE_URL", async () => {
    const dir = await dataDir();
    // A live process (this one's parent) holds the lock.
    await writeFile(join(dir, "inhouse.lock"), String(process.ppid));
    await expect(openStore({ dataDir: dir })).rejects.toThrow(/in use by process \d+.*DATABASE_URL/s);
  });

  it("takes over a lock left by a process that died", async () => {
    const dir = await dataDir();
    await writeFile(join(dir, "inhouse.lock"), "999999999");
    const store = await openStore({ dataDir: dir });
    await store.close();
  });
});
