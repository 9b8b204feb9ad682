import { randomBytes } from "node:crypto";
import pg from "pg";

/** CI sets this so that a store suite that cannot reach PostgreSQL fails instead of skipping. */
export const REQUIRE_POSTGRES_ENV = "INHOUSE_REQUIRE_POSTGRES";

/** The server `scripts/postgres-server.sh` starts; override with INHOUSE_TEST_DATABASE_URL. */
export const TEST_SERVER_URL =
  process.env.INHOUSE_TEST_DATABASE_URL ??
  `postgres://postgres@127.0.0.1:${process.env.INHOUSE_TEST_PG_PORT ?? "54329"}/postgres`;

async function serverAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const postgresAvailable = await serverAnswers();

if (!postgresAvailable && process.env[REQUIRE_POSTGRES_ENV] === "1") {
  throw new Error(
    `${REQUIRE_POSTGRES_ENV}=1 but no PostgreSQL answers at ${new URL(TEST_SERVER_URL).host}. ` +
      "Start one with `bash scripts/postgres-server.sh` (root).",
  );
}
if (!postgresAvailable) {
  console.warn(
    "Skipping the PostgreSQL half of the store tests: no server answers. Start one with " +
      `\`bash scripts/postgres-server.sh\` (CI sets ${REQUIRE_POSTGRES_ENV}=1 to make this a failure).`,
  );
}

/** A new, empty database on the test server; `drop()` removes it (connections are ended first). */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `inhouse_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_SERVER_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
