// Protected-path globs, ours (core/glob.ts: picomatch per segment, syntax caps) side by side with
// the naive way this project used before: one hand-built regular expression per pattern, `**` and
// `*` as `.*` and `[^/]*`, left to V8's backtracking engine.
import { compileGlobs, GLOB_LIMITS, globProblem } from "../core/glob.ts";
import { percentile, round } from "./stats.ts";
import type { BenchArea, BenchRow } from "./types.ts";

/** The matcher `action/publish/glob.ts` had, kept here as the naive side. */
function naiveGlobToRegExp(pattern: string): RegExp {
  let glob = pattern.replace(/^\.\//, "");
  if (glob.endsWith("/")) glob += "**";
  const anchored = glob.includes("/") && !glob.startsWith("**/");
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      const slashAfter = glob[i + 2] === "/";
      source += slashAfter ? "(?:.*/)?" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const prefix = anchored || glob.startsWith("**/") ? "^" : "^(?:.*/)?";
  return new RegExp(`${prefix}${source}(?:/.*)?$`);
}

const naiveMatcher = (patterns: string[]) => {
  const regexes = patterns.map(naiveGlobToRegExp);
  return (path: string) => regexes.some((regex) => regex.test(path));
};

function timeEach(match: (path: string) => unknown, paths: string[], rounds = 1): number {
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const path of paths) match(path);
  return Number(process.hrtime.bigint() - started) / 1e6 / rounds;
}

/** Median of `samples` timings of one pass over `paths`, after one pass to warm the JIT up. */
function medianPassMs(match: (path: string) => unknown, paths: string[], samples = 7): number {
  timeEach(match, paths);
  const times = Array.from({ length: samples }, () => timeEach(match, paths));
  return percentile(times, 50);
}

/** The pattern: twelve `**a` runs in one name, then `b`. */
const PATHOLOGICAL = `${"**a".repeat(12)}**b`;
/** Long enough that the naive engine takes about a second; each extra character multiplies it. */
const PATHOLOGICAL_NAME = "a".repeat(26);

/** A path at the limits a file system allows: 16 names of 255 bytes that almost match. */
const longName = (i: number) => `${"a".repeat(251)}${String(i).padStart(3, "0")}c`;
const worstPaths = (names: number) =>
  Array.from({ length: 200 }, (_, p) => Array.from({ length: names }, (_, i) => longName(i + p)).join("/"));
const WORST_PATHS = worstPaths(16);
/** 64 patterns at the caps: a leading `**`, then names with one `*` that never match. */
const WORST_PATTERNS = Array.from({ length: GLOB_LIMITS.patterns }, (_, i) => `**/a*b${i}`);

const TYPICAL_PATTERNS = [".github/workflows/**", "*.pem", "infra/**", "**/secrets/**", "deploy/"];
const TYPICAL_PATHS = Array.from({ length: 1_000 }, (_, i) =>
  ["src", `module${i % 37}`, i % 3 ? "lib" : "test", `file${i}.${i % 2 ? "ts" : "js"}`].join("/"),
);

export default {
  name: "policy",
  async run() {
    const refuseStarted = process.hrtime.bigint();
    const problem = globProblem(PATHOLOGICAL);
    const refuseMs = Number(process.hrtime.bigint() - refuseStarted) / 1e6;
    if (!problem) throw new Error("the pathological pattern was accepted; the bench measures its refusal");
    const naivePathologicalMs = timeEach(naiveMatcher([PATHOLOGICAL]), [PATHOLOGICAL_NAME]);

    const ours = compileGlobs(WORST_PATTERNS);
    const worstOursMs = medianPassMs(ours, WORST_PATHS) / WORST_PATHS.length;
    const worstNaiveMs = medianPassMs(naiveMatcher(WORST_PATTERNS), WORST_PATHS) / WORST_PATHS.length;
    const quarterMs = medianPassMs(ours, worstPaths(4)) / WORST_PATHS.length;

    const typicalOurs = compileGlobs(TYPICAL_PATTERNS);
    const typicalNaive = naiveMatcher(TYPICAL_PATTERNS);
    const typicalOursUs = (medianPassMs(typicalOurs, TYPICAL_PATHS, 21) / TYPICAL_PATHS.length) * 1_000;
    const typicalNaiveUs = (medianPassMs(typicalNaive, TYPICAL_PATHS, 21) / TYPICAL_PATHS.length) * 1_000;

    const rows: BenchRow[] = [
      {
        measure: `pathological glob ${PATHOLOGICAL.slice(0, 12)}… (one ${PATHOLOGICAL_NAME.length}-char name)`,
        ours: `${round(refuseMs, 3)} ms (refused at config load)`,
        naive: `${round(naivePathologicalMs)} ms (matched; grows ~C(n,12) with the name)`,
        ratio: `${Math.round(naivePathologicalMs / Math.max(refuseMs, 0.001))}×`,
      },
      {
        measure: `worst allowed: ${WORST_PATTERNS.length} patterns × one 4,095-byte path`,
        ours: `${round(worstOursMs, 3)} ms`,
        naive: `${round(worstNaiveMs, 3)} ms`,
        ratio: `${round(worstNaiveMs / worstOursMs)}×`,
      },
      {
        measure: "worst allowed: time for a 4× longer path (16 names vs 4)",
        ours: `${round(worstOursMs / quarterMs)}×`,
        goal: "4× (linear in the path)",
      },
      {
        measure: `typical: ${TYPICAL_PATTERNS.length} patterns × one path`,
        ours: `${round(typicalOursUs, 2)} µs`,
        naive: `${round(typicalNaiveUs, 2)} µs`,
        ratio: `${round(typicalNaiveUs / typicalOursUs)}×`,
      },
    ];
    return {
      rows,
      metrics: {
        glob_pathological_refuse_ms: round(refuseMs, 3),
        glob_pathological_naive_ms: round(naivePathologicalMs),
        glob_worst_allowed_ms_per_path: round(worstOursMs, 3),
        glob_worst_allowed_naive_ms_per_path: round(worstNaiveMs, 3),
        glob_worst_allowed_growth_4x_path: round(worstOursMs / quarterMs),
        glob_typical_us_per_path: round(typicalOursUs, 2),
        glob_typical_naive_us_per_path: round(typicalNaiveUs, 2),
      },
    };
  },
} satisfies BenchArea;
