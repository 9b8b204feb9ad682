import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TestSpecification, Vitest } from "vitest/node";
import recorded from "./file-durations.json" with { type: "json" };
import { SlowestFirst } from "./slowest-first.ts";

const ROOT = "/repo";
const project = { name: "", config: { sequence: { groupOrder: 0 }, isolate: true } };

/** The sequencer over `paths`, with vitest's cache holding `cachedMs` and file sizes `sizes`. */
function order(paths: string[], cachedMs: Record<string, number> = {}, sizes: Record<string, number> = {}) {
  const ctx = {
    config: { root: ROOT },
    cache: {
      getFileTestResults: (key: string) => {
        const ms = cachedMs[key.slice(1)];
        return ms === undefined ? undefined : { failed: false, duration: ms };
      },
      getFileStats: (key: string) => ({ size: sizes[key.slice(1)] ?? 1 }),
    },
  } as unknown as Vitest;
  const specs = paths.map(
    (path) => ({ moduleId: join(ROOT, path), project }) as unknown as TestSpecification,
  );
  return new SlowestFirst(ctx)
    .sort(specs)
    .then((sorted) => sorted.map((s) => s.moduleId.slice(ROOT.length + 1)));
}

describe("the test file order", () => {
  it("starts the files a CI run recorded as slowest first, whatever their size", async () => {
    const files = [
      "test/core/glob.test.ts",
      "test/e2e/faults.e2e.test.ts",
      "test/security/catalogue.test.ts",
    ];
    const sorted = await order(
      files,
      {},
      { "test/core/glob.test.ts": 9_000, "test/security/catalogue.test.ts": 10 },
    );
    expect(sorted).toEqual([
      "test/security/catalogue.test.ts",
      "test/e2e/faults.e2e.test.ts",
      "test/core/glob.test.ts",
    ]);
  });

  it("prefers vitest's cached duration of the last local run, and keeps vitest's order (larger first) for the rest", async () => {
    const files = ["test/a.test.ts", "test/b.test.ts", "test/security/catalogue.test.ts", "test/c.test.ts"];
    const sorted = await order(
      files,
      { "test/c.test.ts": 500_000 },
      { "test/a.test.ts": 10, "test/b.test.ts": 20, "test/c.test.ts": 1 },
    );
    expect(sorted).toEqual([
      "test/c.test.ts",
      "test/security/catalogue.test.ts",
      "test/b.test.ts",
      "test/a.test.ts",
    ]);
  });

  it("names only test files that exist, slowest first (refresh with scripts/test-file-durations.ts)", () => {
    const entries = Object.entries(recorded as Record<string, number>);
    expect(entries.length).toBeGreaterThan(10);
    for (const [path] of entries) expect(existsSync(path), path).toBe(true);
    const seconds = entries.map(([, s]) => s);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  });
});
