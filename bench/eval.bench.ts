// Issue 20: `inhouse eval` with the scripted model answering at once, so the figures are the
// harness's own cost: seconds per instance (goal ≤ 5 s on this machine) and the throughput of
// `--concurrency 2` against `--concurrency 1` over the same four instances (goal ≥ 1.3× on 2 cores).
// The floor of one instance is measured beside it: a sandbox opened at the base commit and one run
// of the repository's tests (an instance runs them at least twice: the agent's check and grading).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDaySandbox } from "../action/eval/day-sandbox.ts";
import { harvest } from "../action/eval/harvest.ts";
import { runTests } from "../action/eval/held-out-tests.ts";
import { runEval } from "../action/eval/run-eval.ts";
import { testPathClassifier } from "../action/eval/test-paths.ts";
import { connectDocker, ensureImagePresent } from "../action/sandbox/engine/docker-connection.ts";
import { DEFAULT_IMAGE } from "../action/sandbox/index.ts";
import { createEvalFixture, EVAL_TEST_COMMAND } from "../test/helpers/eval-fixture-repo.ts";
import { solverSteps } from "../test/helpers/eval-solver.ts";
import { startScriptedModelServer } from "../test/helpers/scripted-model-server.ts";
import { percentile, round, timeMs } from "./stats.ts";
import type { BenchArea } from "./types.ts";

const TEST_TIMEOUT_MS = 600_000;

const area: BenchArea = {
  name: "eval",
  async run() {
    await ensureImagePresent(await connectDocker(), DEFAULT_IMAGE);
    const fixture = await createEvalFixture();
    const out = await mkdtemp(join(tmpdir(), "inhouse-eval-bench-"));
    const server = await startScriptedModelServer(
      solverSteps({ pairs: fixture.pairs, solves: [1, 3, 11] }, 2_000),
    );
    const profile = {
      name: "scripted",
      settings: { baseUrl: server.baseUrl, apiKey: "", model: server.model },
    };
    try {
      const harvested = await harvest(fixture.data, {
        repo: fixture.dir,
        image: DEFAULT_IMAGE,
        classify: testPathClassifier(),
        testTimeoutMs: TEST_TIMEOUT_MS,
        concurrency: 2,
      });
      const instances = harvested.instances;
      const timed = async (concurrency: number) => {
        const outDir = join(out, `c${concurrency}`);
        let results: Awaited<ReturnType<typeof runEval>>["results"] = [];
        const ms = await timeMs(async () => {
          ({ results } = await runEval(instances, [profile], {
            repo: fixture.dir,
            image: DEFAULT_IMAGE,
            outDir,
            concurrency,
            testTimeoutMs: TEST_TIMEOUT_MS,
          }));
        });
        return { seconds: ms / 1000, results };
      };
      const one = await timed(1);
      const two = await timed(2);
      if (
        one.results.filter((r) => r.resolved).length !== 3 ||
        two.results.filter((r) => r.resolved).length !== 3
      )
        throw new Error("eval bench: the scripted model should resolve 3 of 4 instances in both runs");
      const perInstance = one.results.map((r) => r.durationMs / 1000);
      const overhead = round(percentile(perInstance, 50), 2);
      const agentShare = round(
        percentile(
          one.results.map((r) => r.agentMs / 1000),
          50,
        ),
        2,
      );

      let testS = 0;
      const day = await openDaySandbox({
        repo: fixture.dir,
        commit: instances[0]!.baseCommit,
        image: DEFAULT_IMAGE,
        taskId: "eval-bench-floor",
      });
      try {
        testS = (await timeMs(() => runTests(day.sandbox, EVAL_TEST_COMMAND, TEST_TIMEOUT_MS))) / 1000;
      } finally {
        await day.dispose();
      }
      const openS =
        (await timeMs(async () => {
          const again = await openDaySandbox({
            repo: fixture.dir,
            commit: instances[0]!.baseCommit,
            image: DEFAULT_IMAGE,
            taskId: "eval-bench-floor",
          });
          await again.dispose();
        })) / 1000;
      const floor = round(openS + 2 * testS, 2);
      const speedup = round(one.seconds / two.seconds, 2);
      return {
        rows: [
          {
            measure: "seconds per instance, scripted model (p50 of 4; naive = floor: sandbox + 2 test runs)",
            ours: `${overhead} s`,
            naive: `${floor} s`,
            ratio: `${round(overhead / floor, 2)}× the floor`,
            goal: "≤ 5 s",
          },
          {
            measure: "  of which the agent's turn (setup, 2 model calls, its test run)",
            ours: `${agentShare} s`,
          },
          {
            measure: "  sandbox at the base commit: clone, create, seed, remove",
            ours: `${round(openS, 2)} s`,
          },
          { measure: "  one run of the repository's tests in the sandbox", ours: `${round(testS, 2)} s` },
          {
            measure: "4 instances, --concurrency 2 (naive = --concurrency 1)",
            ours: `${round(two.seconds, 1)} s`,
            naive: `${round(one.seconds, 1)} s`,
            ratio: `${speedup}×`,
            goal: "≥ 1.3×",
          },
        ],
        metrics: {
          "eval.instance_overhead_s": overhead,
          "eval.instance_floor_s": floor,
          "eval.concurrency2_speedup": speedup,
        },
      };
    } finally {
      await server.close();
      await fixture.cleanup();
      await rm(out, { recursive: true, force: true });
    }
  },
};

export default area;
