import type { Kysely } from "kysely";

/**
 * The OIDC tokens the App's token exchange has traded (`jti`), kept until they expire, so a token
 * replayed to another App process, or after a restart, is still refused
 * (`app/token-exchange/replay-guard.ts`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_token_uses")
    .addColumn("jti", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("oidc_token_uses_expires").on("oidc_token_uses").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("oidc_token_uses").execute();
}
