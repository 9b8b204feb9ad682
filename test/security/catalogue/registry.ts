/**
 * The attack catalogue's bookkeeping: each case is an `it` that tries one attack for real and
 * asserts it was contained; the file prints `security catalogue: N cases tried, M contained`, and
 * under a runtime without a network (gVisor here) also how many network cases were not tried, and why.
 */
import { afterAll, it, onTestFinished } from "vitest";
import { noNetworkReason, sandboxRuntime } from "../../helpers/runsc.ts";

const tried = new Set<string>();
const contained = new Set<string>();
const notTried = new Set<string>();

/**
 * Registers one attack; it counts as contained only when vitest passed it: every assertion held and
 * it finished within its timeout (a body that finishes after vitest has failed it on time is not).
 */
export function attack(name: string, tryIt: () => Promise<void> | void, timeoutMs?: number): void {
  it(
    name,
    async () => {
      tried.add(name);
      onTestFinished(({ task }) => {
        if (task.result?.state === "pass") contained.add(name);
      });
      await tryIt();
    },
    timeoutMs,
  );
}

/**
 * An attack that needs a sandbox with a network (the allowlist or open profile). Where this
 * process's sandbox runtime has none (`noNetworkReason`), it is skipped with the reason in its
 * name and counted apart in the summary, never as contained.
 */
export function networkAttack(name: string, tryIt: () => Promise<void> | void, timeoutMs?: number): void {
  if (noNetworkReason === undefined) {
    attack(name, tryIt, timeoutMs);
    return;
  }
  const reason = noNetworkReason;
  // Skipped when it runs, so a case left out by a name filter (-t) is not counted either.
  it(`${name} [not tried: ${reason}]`, (context) => {
    notTried.add(name);
    context.skip(reason);
  });
}

/** True where network cases run: a `beforeAll` that would create an allowlist sandbox checks it. */
export const networkCasesRun = noNetworkReason === undefined;

export function catalogueSummary(): string {
  const line = `security catalogue: ${tried.size} cases tried, ${contained.size} contained`;
  if (sandboxRuntime === undefined) return line;
  const skipped = notTried.size > 0 ? `; ${notTried.size} network cases not tried: ${noNetworkReason}` : "";
  return `${line} (sandboxes under ${sandboxRuntime}${skipped})`;
}

/** Call once, at the top level of the catalogue's test file. */
export function printSummaryAfterAll(): void {
  afterAll(() => {
    console.log(catalogueSummary());
  });
}
