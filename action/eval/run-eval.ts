/**
 * `inhouse eval run`: every instance under every profile, `concurrency` at a time, each in its own
 * sandbox. Results are appended as they finish; started again on the same output directory, it
 * runs only what has no result yet (and what ended in a harness error).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { removeLeftoverSandboxes } from "../sandbox/pool/index.ts";
import { mapConcurrently } from "./concurrency.ts";
import type { EvalInstance } from "./instance.ts";
import type { InstanceResult } from "./result.ts";
import { appendResult, endCutLine, readResults, resultKey } from "./results-log.ts";
import { errorResult, type Profile, type RunInstanceOptions, runInstance } from "./run-instance.ts";

const LEFTOVER_AGE_MS = 24 * 3600_000;

export interface EvalRunOptions extends Omit<RunInstanceOptions, "auditPath"> {
  outDir: string;
  concurrency: number;
  onProgress?: (line: string) => void;
}

export interface EvalRunSummary {
  results: InstanceResult[];
  /** Pairs run now (not taken from an earlier run). */
  ran: number;
  resumed: number;
}

export function resultsPath(outDir: string): string {
  return join(outDir, "results.jsonl");
}

export async function runEval(
  instances: EvalInstance[],
  profiles: Profile[],
  options: EvalRunOptions,
): Promise<EvalRunSummary> {
  const progress = options.onProgress ?? (() => {});
  await mkdir(join(options.outDir, "audit"), { recursive: true });
  const path = resultsPath(options.outDir);
  await endCutLine(path);
  const earlier = await readResults(path);
  const done = new Set(
    earlier.filter((r) => r.status === "graded").map((r) => resultKey(r.profile, r.instance)),
  );
  // A killed eval left sandboxes whose owner process is gone: remove them before starting more.
  await removeLeftoverSandboxes({ olderThanMs: LEFTOVER_AGE_MS });
  const jobs = instances.flatMap((instance) =>
    profiles
      .map((profile) => ({ instance, profile }))
      .filter((job) => !done.has(resultKey(job.profile.name, job.instance.id))),
  );
  if (done.size > 0)
    progress(`resuming: ${done.size} results kept from the earlier run, ${jobs.length} to run`);
  let finished = 0;
  await mapConcurrently(jobs, options.concurrency, async ({ instance, profile }) => {
    if (options.signal?.aborted) return;
    const startedAt = Date.now();
    const auditPath = join(options.outDir, "audit", `${profile.name}-${instance.issue}.jsonl`);
    const result = await runInstance(instance, profile, { ...options, auditPath }).catch((error: unknown) =>
      errorResult(instance, profile, error, startedAt),
    );
    // A run cut short by the interrupt is not a result: the resume runs it again.
    if (options.signal?.aborted) return;
    await appendResult(path, result);
    finished++;
    const verdict =
      result.status === "error" ? `error: ${result.reason}` : result.resolved ? "resolved" : "not resolved";
    progress(
      `[${finished}/${jobs.length}] ${profile.name} ${instance.id}: ${verdict} (${(result.durationMs / 1000).toFixed(1)} s)`,
    );
  });
  const results = await readResults(path);
  const wanted = new Set(instances.flatMap((i) => profiles.map((p) => resultKey(p.name, i.id))));
  return {
    results: results.filter((r) => wanted.has(resultKey(r.profile, r.instance))),
    ran: finished,
    resumed: done.size,
  };
}
