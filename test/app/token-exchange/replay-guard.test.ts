import { describe, expect, it } from "vitest";
import { MemoryReplayGuard, StoreReplayGuard } from "../../../app/token-exchange/replay-guard.ts";
import { storeBackends, storeForSuite } from "../../helpers/store-backends.ts";

const HOUR = 3600;
const at = (seconds: number) => new Date(seconds * 1000);

describe.each(storeBackends)("the token exchange's replay guard in the run history ($name)", (backend) => {
  const store = storeForSuite(backend);

  it("trades a token once; a second App process and a restarted one refuse it too", async () => {
    const now = 1_800_000_000;
    const first = new StoreReplayGuard(store.db, () => at(now));
    expect(await first.firstUse("jti-a", now + HOUR)).toBe(true);
    expect(await first.firstUse("jti-a", now + HOUR)).toBe(false);
    // Another process on the same store (or this one after a restart): it never saw jti-a itself.
    const second = new StoreReplayGuard(store.db, () => at(now + 60));
    expect(await second.firstUse("jti-a", now + HOUR)).toBe(false);
    expect(await second.firstUse("jti-b", now + HOUR)).toBe(true);
  });

  it("two processes racing on one token: exactly one wins", async () => {
    const now = 1_800_000_000;
    const guards = [0, 1, 2, 3].map(() => new StoreReplayGuard(store.db, () => at(now)));
    const results = await Promise.all(guards.map((guard) => guard.firstUse("jti-race", now + HOUR)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("forgets tokens once they have expired (their exp refuses them anyway)", async () => {
    const now = 1_800_000_000;
    await new StoreReplayGuard(store.db, () => at(now)).firstUse("jti-old", now + 10);
    const later = new StoreReplayGuard(store.db, () => at(now + 20));
    await later.firstUse("jti-new", now + HOUR);
    const left = await store.db.selectFrom("oidc_token_uses").select("jti").execute();
    expect(left.map((row) => row.jti)).not.toContain("jti-old");
    expect(left.map((row) => row.jti)).toContain("jti-new");
  });
});

describe("the replay guard without a run history", () => {
  it("refuses a second use within one process until the token expires", async () => {
    let now = 1_000;
    const guard = new MemoryReplayGuard(() => now);
    expect(await guard.firstUse("x", 2_000)).toBe(true);
    expect(await guard.firstUse("x", 2_000)).toBe(false);
    now = 3_000;
    expect(await guard.firstUse("x", 4_000)).toBe(true);
  });
});
