// The token exchange's replay guard in the run history (app/token-exchange/replay-guard.ts): ours is
// one `insert … on conflict do nothing returning` per traded token, the check and the record in one
// statement; the naive way asks first (`select`) and records after (`insert`): two round trips, and
// between them a second App process can trade the same token. Both on PGlite in memory, the store the
// App uses without DATABASE_URL.
import { loadavg } from "node:os";
import type { Kysely } from "kysely";
import { StoreReplayGuard } from "../app/token-exchange/replay-guard.ts";
import type { Database } from "../store/schema.ts";
import { openMemoryStore } from "../test/helpers/memory-store.ts";
import { percentile, round } from "./stats.ts";
import type { BenchArea } from "./types.ts";

const TOKENS = 400;
const RACES = 100;

/** The naive guard: look, then write. */
function naiveGuard(db: Kysely<Database>) {
  return {
    async firstUse(jti: string, exp: number): Promise<boolean> {
      const seen = await db
        .selectFrom("oidc_token_uses")
        .select("jti")
        .where("jti", "=", jti)
        .executeTakeFirst();
      if (seen) return false;
      await db
        .insertInto("oidc_token_uses")
        .values({ jti, expires_at: new Date(exp * 1000) })
        .onConflict((c) => c.column("jti").doNothing())
        .execute();
      return true;
    },
  };
}

type Guard = { firstUse(jti: string, exp: number): Promise<boolean> };

/** Milliseconds per token for TOKENS first uses and as many replays, median of 5 passes. */
async function perToken(make: () => Guard, prefix: string): Promise<number> {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const passes: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const guard = make();
    const started = process.hrtime.bigint();
    for (let i = 0; i < TOKENS; i++) await guard.firstUse(`${prefix}-${pass}-${i}`, exp);
    for (let i = 0; i < TOKENS; i++) await guard.firstUse(`${prefix}-${pass}-${i}`, exp);
    passes.push(Number(process.hrtime.bigint() - started) / 1e6 / (2 * TOKENS));
  }
  return percentile(passes, 50);
}

/** Two App processes trading the same token at once: how many races had two winners. */
async function doubleWins(make: () => Guard, prefix: string): Promise<number> {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  let doubles = 0;
  for (let i = 0; i < RACES; i++) {
    const wins = await Promise.all([make(), make()].map((g) => g.firstUse(`${prefix}-race-${i}`, exp)));
    if (wins.filter(Boolean).length > 1) doubles++;
  }
  return doubles;
}

const area: BenchArea = {
  name: "trust",
  async run() {
    const store = await openMemoryStore();
    try {
      const ours = () => new StoreReplayGuard(store.db);
      const naive = () => naiveGuard(store.db);
      const oursMs = await perToken(ours, "ours");
      const naiveMs = await perToken(naive, "naive");
      const oursDoubles = await doubleWins(ours, "ours");
      const naiveDoubles = await doubleWins(naive, "naive");
      const load = loadavg()[0]!;
      return {
        rows: [
          {
            measure: `replay check per traded token (PGlite, ${TOKENS} + ${TOKENS} replays, load ${round(load, 1)})`,
            ours: `${round(oursMs, 3)} ms`,
            naive: `${round(naiveMs, 3)} ms`,
            ratio: `${round(naiveMs / oursMs, 2)}×`,
          },
          {
            measure: `two processes racing on one token: races with two winners (of ${RACES})`,
            ours: String(oursDoubles),
            naive: String(naiveDoubles),
            goal: "0",
          },
        ],
        metrics: {
          "trust.replayCheckMs": round(oursMs, 3),
          "trust.replayCheckNaiveMs": round(naiveMs, 3),
          "trust.raceDoubleWins": oursDoubles,
          "trust.raceDoubleWinsNaive": naiveDoubles,
        },
      };
    } finally {
      await store.close();
    }
  },
};

export default area;
