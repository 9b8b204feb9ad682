/**
 * Each OIDC token is exchanged once: its `jti` is remembered until it expires, so a token copied from
 * a job log or a proxy cannot mint a second installation token. (One App process holds the memory; a
 * token is short-lived, so a restart forgets only what is about to expire anyway.)
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly nowSeconds: () => number = () => Date.now() / 1000) {}

  /** True the first time `jti` is used; false for every later use before `exp`. */
  firstUse(jti: string, exp: number): boolean {
    const now = this.nowSeconds();
    for (const [id, expiry] of this.seen) if (expiry < now) this.seen.delete(id);
    if (this.seen.has(jti)) return false;
    this.seen.set(jti, exp);
    return true;
  }
}
