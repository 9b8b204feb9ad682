import { defineConfig } from "vitest/config";
import { SlowestFirst } from "./test/slowest-first.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Docker-backed suites share one engine on a 2-core machine; files run in parallel, tests within a file in order.
    maxWorkers: 2,
    // The slowest files first (test/slowest-first.ts), so neither worker ends the run alone.
    sequence: { sequencer: SlowestFirst },
  },
});
