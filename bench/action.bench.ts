// The whole action on one issue → PR task with the real loop and the real Docker sandbox (scripted
// model, local git remote, fake GitHub): how long until the model is first asked, and how long
// from the model's last answer (finish) to the PR being opened (verification, diff, commit, push).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { runIssueToPr, runLatencies } from "../test/action/run/issue-to-pr.ts";
import { percentile, round } from "./stats.ts";
import type { BenchArea } from "./types.ts";

const RUNS = 3;

const area: BenchArea = {
  name: "action",
  async run() {
    nock.restore();
    const cacheDir = await mkdtemp(join(tmpdir(), "inhouse-bench-action-"));
    const start: number[] = [];
    const finish: number[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        const run = await runIssueToPr(async () => {}, cacheDir);
        try {
          if (run.outcome.state !== "succeeded")
            throw new Error(`run ${i} did not succeed: ${run.outcome.message}`);
          const latency = runLatencies(run);
          start.push(latency.startToFirstModelCall);
          finish.push(latency.finishToPr);
        } finally {
          await run.cleanup();
        }
      }
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
    const median = (xs: number[]) => percentile(xs, 50);
    return {
      rows: [
        { measure: `start → first model call (median of ${RUNS})`, ours: `${round(median(start), 2)} s` },
        {
          measure: `finish → PR opened, incl. verification (median of ${RUNS})`,
          ours: `${round(median(finish), 2)} s`,
        },
      ],
      metrics: {
        "action.start_to_first_model_call_s": round(median(start), 2),
        "action.finish_to_pr_s": round(median(finish), 2),
      },
    };
  },
};

export default area;
