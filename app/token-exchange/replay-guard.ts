import type { Kysely } from "kysely";
import type { Database } from "../../store/schema.ts";

/**
 * Each OIDC token is exchanged once: its `jti` is remembered until it expires, so a token copied from
 * a job log or a proxy cannot mint a second installation token.
 */
export interface ReplayGuard {
  /** True the first time `jti` is used; false for every later use before `exp` (seconds). */
  firstUse(jti: string, exp: number): Promise<boolean>;
}

/** One App process's memory: enough without a run history, forgotten on restart. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly nowSeconds: () => number = () => Date.now() / 1000) {}

  async firstUse(jti: string, exp: number): Promise<boolean> {
    const now = this.nowSeconds();
    for (const [id, expiry] of this.seen) if (expiry < now) this.seen.delete(id);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, exp);
    return true;
  }
}

const PRUNE_EVERY_MS = 60_000;

/**
 * The run history's table `oidc_token_uses` (migration 0007): every App process sharing the store,
 * and a restarted one, refuse a token any of them traded. The insert is the check (`jti` is the
 * primary key, `on conflict do nothing`), so two processes racing on one token cannot both win.
 * Expired rows are removed at most once a minute per process, as tokens arrive: an expired token is
 * refused by its `exp` anyway, so a late removal only costs a little space.
 */
export class StoreReplayGuard implements ReplayGuard {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private lastPrune = 0;

  async firstUse(jti: string, exp: number): Promise<boolean> {
    const now = this.now();
    if (now.getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now.getTime();
      await this.db.deleteFrom("oidc_token_uses").where("expires_at", "<", now).execute();
    }
    const inserted = await this.db
      .insertInto("oidc_token_uses")
      .values({ jti, expires_at: new Date(Math.max(exp * 1000, now.getTime())) })
      .onConflict((conflict) => conflict.column("jti").doNothing())
      .returning("jti")
      .executeTakeFirst();
    return inserted !== undefined;
  }
}
