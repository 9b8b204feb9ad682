/**
 * Writes test/file-durations.json from a vitest run's output (the default reporter's
 * ` ✓ test/x.test.ts (N tests) 1234ms` lines): each file of 3 s or more, in whole seconds, slowest
 * first. The test sequencer (test/slowest-first.ts) starts the slowest files first from it, which a
 * fresh clone cannot learn from vitest's own cache. Refresh after a CI run:
 *   npx tsx scripts/test-file-durations.ts < ci.log
 * Only the first run in the log counts (the gVisor passes after it run a few files again).
 */
import { readFileSync, writeFileSync } from "node:fs";

const MIN_MS = 3_000;
const FILE_LINE = /^ [✓❯×] (test\/\S+\.test\.ts) \(\d+ tests?[^)]*\) (\d+)ms$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are exactly what is stripped
const text = readFileSync(0, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
const firstRun = text.split(/^\s*Duration\s/m)[0] ?? "";
const seconds = new Map<string, number>();
for (const line of firstRun.split("\n")) {
  const match = FILE_LINE.exec(line);
  if (match && Number(match[2]) >= MIN_MS) seconds.set(match[1]!, Math.round(Number(match[2]) / 1000));
}
if (seconds.size === 0) {
  console.error(
    "test-file-durations: no ` ✓ test/… (N tests) Nms` lines on stdin; pipe in a vitest run's output",
  );
  process.exit(1);
}
const sorted = Object.fromEntries([...seconds].sort((a, b) => b[1] - a[1]));
writeFileSync("test/file-durations.json", `${JSON.stringify(sorted, null, 2)}\n`);
console.log(
  `test-file-durations: ${seconds.size} files of ${MIN_MS / 1000} s or more written to test/file-durations.json`,
);
