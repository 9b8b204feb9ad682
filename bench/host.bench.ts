// Issue 17: one runner host. (1) gVisor's cost next to runc: sandbox start (create → first command
// → removed) and a command's round trip, same steps under both runtimes. (2) Four task-shaped
// sandbox workloads at once vs one at a time on this 2-core machine: each creates a hardened
// sandbox, seeds a small repository, runs five commands and a test run, takes the diff and removes
// everything; the speedup is wall(one at a time) / wall(four at once). Model turns are not in it:
// with a scripted model they cost nothing, and with a real one they overlap perfectly.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { createSandbox } from "../action/sandbox/index.ts";
import { daemonRuntimes } from "../action/sandbox/runtimes.ts";
import { percentile, round, timeMs } from "./stats.ts";
import type { BenchArea, BenchRow } from "./types.ts";

const STARTS = 5;
const ROUND_TRIPS = 40;
const small = { memoryMb: 512, pids: 256, workspaceMb: 128, tmpMb: 64 };

async function startSamples(runtime: string | undefined): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    samples.push(
      await timeMs(async () => {
        const sandbox = await createSandbox({
          ...small,
          taskId: `bench-start-${i}`,
          ...(runtime ? { runtime } : {}),
        });
        await sandbox.exec("true");
        await sandbox.destroy();
      }),
    );
  }
  return samples;
}

async function roundTrips(runtime: string | undefined): Promise<number[]> {
  const sandbox = await createSandbox({ ...small, taskId: "bench-rt", ...(runtime ? { runtime } : {}) });
  try {
    await sandbox.exec("true");
    const samples: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i++) samples.push(await timeMs(() => sandbox.exec("echo ok")));
    return samples;
  } finally {
    await sandbox.destroy();
  }
}

async function fixtureRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bench-host-repo-"));
  for (let i = 0; i < 200; i++)
    await writeFile(join(dir, `file-${i}.js`), `export const v${i} = ${i};\n`.repeat(20));
  await writeFile(join(dir, "test.sh"), 'for f in file-*.js; do grep -q export "$f" || exit 1; done\n');
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: dir });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "fixture");
  return dir;
}

/** One task's sandbox work, as a run does it: start, seed, inspect, edit, test, diff, remove. */
async function taskWorkload(repo: string, index: number): Promise<void> {
  const sandbox = await createSandbox({ ...small, taskId: `bench-task-${index}` });
  try {
    await sandbox.seed(repo);
    await sandbox.exec("ls | wc -l");
    await sandbox.exec("grep -rl 'v1 ' . | head");
    await sandbox.readFile("file-1.js");
    await sandbox.writeFile("file-1.js", "export const v1 = 'changed';\n");
    await sandbox.exec("git status --short");
    const test = await sandbox.exec("bash test.sh");
    if (test.exitCode !== 0) throw new Error("bench task: the fixture's test failed");
    if (!(await sandbox.diff()).includes("changed")) throw new Error("bench task: the diff lost the edit");
  } finally {
    await sandbox.destroy();
  }
}

const ms = (value: number) => `${round(value, 1)} ms`;

const area: BenchArea = {
  name: "host",
  async run() {
    const offered = await daemonRuntimes(new Docker());
    const rows: BenchRow[] = [];
    const metrics: Record<string, number> = {};

    const repo = await fixtureRepo();
    try {
      await taskWorkload(repo, 0); // warm the image's page cache and the daemon
      const sequential = await timeMs(async () => {
        for (let i = 1; i <= 4; i++) await taskWorkload(repo, i);
      });
      const concurrent = await timeMs(() => Promise.all([5, 6, 7, 8].map((i) => taskWorkload(repo, i))));
      const speedup = sequential / concurrent;
      rows.push({
        measure: "4 task-shaped sandbox workloads (start, seed 200 files, 5 commands, test, diff, remove)",
        ours: `4 at once: ${ms(concurrent)} (${ms(concurrent / 4)} per task)`,
        naive: `one at a time: ${ms(sequential)} (${ms(sequential / 4)} per task)`,
        ratio: `${round(speedup, 2)}×`,
        goal: "≥ 1.5×",
      });
      metrics["host.concurrent4_speedup"] = round(speedup, 2);
      metrics["host.concurrent4_wall_ms"] = round(concurrent, 1);
      metrics["host.sequential4_wall_ms"] = round(sequential, 1);
      metrics["host.concurrent4_per_task_ms"] = round(concurrent / 4, 1);
    } finally {
      await rm(repo, { recursive: true, force: true });
    }

    if (!offered.names.includes("runsc")) {
      rows.push({ measure: "gVisor (runsc)", ours: "not registered: bash scripts/gvisor-runtime.sh" });
      return { rows, metrics };
    }
    const runcStart = percentile(await startSamples(undefined), 50);
    const runscStart = percentile(await startSamples("runsc"), 50);
    const runcTrip = percentile(await roundTrips(undefined), 50);
    const runscTrip = percentile(await roundTrips("runsc"), 50);
    rows.push(
      {
        measure: `sandbox start, create → first command → removed (p50 of ${STARTS})`,
        ours: `runsc ${ms(runscStart)}`,
        naive: `runc ${ms(runcStart)}`,
        ratio: `${round(runscStart / runcStart, 2)}× runc`,
      },
      {
        measure: `command round trip in the sandbox (p50 of ${ROUND_TRIPS})`,
        ours: `runsc ${ms(runscTrip)}`,
        naive: `runc ${ms(runcTrip)}`,
        ratio: `${round(runscTrip / runcTrip, 2)}× runc`,
      },
    );
    metrics["sandbox.runsc_start_ratio"] = round(runscStart / runcStart, 2);
    metrics["sandbox.runsc_start_p50_ms"] = round(runscStart, 1);
    metrics["sandbox.runc_start_p50_ms"] = round(runcStart, 1);
    metrics["sandbox.runsc_roundtrip_p50_ms"] = round(runscTrip, 2);
    metrics["sandbox.runc_roundtrip_p50_ms"] = round(runcTrip, 2);
    return { rows, metrics };
  },
};

export default area;
