/**
 * Vitest's file order: the slowest files start first, so the two workers finish together instead of
 * one running a four-minute file alone at the end. Vitest itself orders by its cache of the last
 * run's durations, which a fresh clone (CI) lacks, and then by file size, which says little here
 * (the attack catalogue is a 52-line file). So: a file's duration from vitest's cache when there is
 * one, else from test/file-durations.json (a CI run's, refreshed by scripts/test-file-durations.ts),
 * else 0; equal ones keep vitest's own order.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const recordedSeconds: Record<string, number> = JSON.parse(
  readFileSync(new URL("./file-durations.json", import.meta.url), "utf8"),
);

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const vitestOrder = await super.sort(files);
    const position = new Map(vitestOrder.map((file, index) => [file, index]));
    const ms = new Map(vitestOrder.map((file) => [file, this.expectedMs(file)]));
    return [...vitestOrder].sort((a, b) => ms.get(b)! - ms.get(a)! || position.get(a)! - position.get(b)!);
  }

  private expectedMs(file: TestSpecification): number {
    const path = relative(this.ctx.config.root, file.moduleId).split("\\").join("/");
    const cached = this.ctx.cache.getFileTestResults(`${file.project.name}:${path}`);
    if (cached && !cached.failed && cached.duration > 0) return cached.duration;
    return (recordedSeconds[path] ?? 0) * 1000;
  }
}
