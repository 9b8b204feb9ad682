// Runs benchmark areas side by side with the naive way, prints one table per area and writes
// bench/results.json: one flat object, metric name → number. `npm run bench -- <area>` runs one area.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchArea, BenchRow } from "./types.ts";

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = join(here, "results.json");

/** Area names come from file names (`<area>.bench.ts`), so choosing one imports nothing else. */
async function listAreas(): Promise<string[]> {
  return (await readdir(here))
    .filter((file) => file.endsWith(".bench.ts"))
    .map((file) => file.slice(0, -".bench.ts".length))
    .sort();
}

// Areas are imported one at a time, only when selected: an area that loads nock or starts servers
// at import time must not tax the measurements of another.
async function loadArea(name: string): Promise<BenchArea> {
  const module = (await import(join(here, `${name}.bench.ts`))) as { default: BenchArea };
  if (module.default.name !== name) {
    throw new Error(
      `bench/${name}.bench.ts names its area "${module.default.name}"; rename one so they match`,
    );
  }
  return module.default;
}

function printTable(area: string, rows: BenchRow[]): void {
  const header = ["measure", "inhouse", "naive", "ratio", "goal"];
  const body = rows.map((row) => [row.measure, row.ours, row.naive ?? "", row.ratio ?? "", row.goal ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(`\n## ${area}`);
  console.log(line(header));
  console.log(line(widths.map((w) => "-".repeat(w))));
  for (const row of body) console.log(line(row.map(String)));
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const areas = await listAreas();
  const unknown = wanted.filter((name) => !areas.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown bench area: ${unknown.join(", ")}. Known areas: ${areas.join(", ")}.`);
    process.exit(2);
  }
  const selected = wanted.length > 0 ? wanted : areas;
  let previous: Record<string, number> = {};
  try {
    previous = JSON.parse(await readFile(resultsPath, "utf8")) as Record<string, number>;
  } catch {
    previous = {};
  }
  const results: Record<string, number> = { ...previous };
  for (const name of selected) {
    const area = await loadArea(name);
    const outcome = await area.run();
    printTable(name, outcome.rows);
    Object.assign(results, outcome.metrics);
  }
  await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${resultsPath}`);
}

await main();
