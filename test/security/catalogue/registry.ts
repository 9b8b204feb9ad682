/**
 * The attack catalogue's bookkeeping: each case is an `it` that tries one attack for real and
 * asserts it was contained; the file prints `security catalogue: N cases tried, M contained`.
 */
import { afterAll, it } from "vitest";

const tried = new Set<string>();
const contained = new Set<string>();

/** Registers one attack; it counts as contained only when every assertion in it passed. */
export function attack(name: string, tryIt: () => Promise<void> | void, timeoutMs?: number): void {
  it(
    name,
    async () => {
      tried.add(name);
      await tryIt();
      contained.add(name);
    },
    timeoutMs,
  );
}

export function catalogueSummary(): string {
  return `security catalogue: ${tried.size} cases tried, ${contained.size} contained`;
}

/** Call once, at the top level of the catalogue's test file. */
export function printSummaryAfterAll(): void {
  afterAll(() => {
    console.log(catalogueSummary());
  });
}
