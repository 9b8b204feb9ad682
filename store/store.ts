import type { Kysely } from "kysely";
import type { Database } from "./schema.ts";

export type Backend = "pglite" | "postgres";

/** An open run history, whichever backend holds it. */
export interface Store {
  db: Kysely<Database>;
  backend: Backend;
  /** Where the data lives, for logs: a directory, or the server's host and database (no password). */
  location: string;
  close(): Promise<void>;
}

/** A store that cannot be opened; the message names the setting to fix. */
export class StoreError extends Error {}
