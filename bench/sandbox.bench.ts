// Sandbox layer, side by side with the naive way: a sandbox claimed from the warm pool vs created
// for the task, the persistent shell vs one `docker exec` per command, hardened vs plain
// containers, shell writes vs putArchive, streamed vs buffered output.
import { randomBytes } from "node:crypto";
import Docker from "dockerode";
import { hardenedContainerSpec } from "../action/sandbox/container-spec.ts";
import { createSandbox, DockerSandbox, ownerOf } from "../action/sandbox/index.ts";
import { parseSandboxOptions } from "../action/sandbox/options.ts";
import { WarmPool } from "../action/sandbox/pool/index.ts";
import { drainWarmPool } from "../test/helpers/warm-pool.ts";
import { percentile, round, timeMs } from "./stats.ts";
import type { BenchArea, BenchRow } from "./types.ts";

const IMAGE = "inhouse-sandbox:latest";

async function dockerExec(container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on("end", resolve);
    stream.on("error", reject);
    stream.resume();
  });
}

/** A one-file ustar archive, what the naive way sends to putArchive for every edit. */
function pack(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, "ascii");
  field(0, 100, name);
  field(100, 8, "0000644\0");
  field(108, 8, "0001750\0");
  field(116, 8, "0001750\0");
  field(124, 12, `${data.length.toString(8).padStart(11, "0")}\0`);
  field(
    136,
    12,
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
  );
  field(148, 8, "        ");
  field(156, 1, "0");
  field(257, 8, "ustar\u000000");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(148, 8, `${checksum.toString(8).padStart(6, "0")}\0 `);
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)]);
}

async function sample(count: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await timeMs(work));
  return samples;
}

const ms = (value: number) => `${round(value, 2)} ms`;
const p50p99 = (samples: number[]) =>
  `p50 ${ms(percentile(samples, 50))} / p99 ${ms(percentile(samples, 99))}`;

/**
 * Same steps for both (create, start, first `docker exec`, remove) so the ratio is the cost of the
 * hardening alone: caps, read-only root, tmpfs mounts, the workspace volume, limits, init.
 */
async function createToFirstCommand(docker: Docker, hardened: boolean): Promise<number> {
  const suffix = randomBytes(4).toString("hex");
  const names = { container: `inhouse-bench-${suffix}`, volume: `inhouse-ws-bench-${suffix}` };
  const spec = hardened
    ? hardenedContainerSpec(parseSandboxOptions({ taskId: "bench" }), names, Date.now())
    : { name: names.container, Image: IMAGE, Cmd: ["sleep", "infinity"] };
  const elapsed = await timeMs(async () => {
    const container = await docker.createContainer(spec);
    await container.start();
    await dockerExec(container, ["true"]);
  });
  await docker.getContainer(names.container).remove({ force: true, v: true });
  if (hardened) await docker.getVolume(names.volume).remove();
  return elapsed;
}

/** Peak RSS growth of this process while `work` runs, sampled every 5 ms. */
async function peakRssGrowthMb(work: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  await work();
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return (peak - base) / 1024 / 1024;
}

const POOL_ROUNDS = 9;

/**
 * What a task waits for before its first command: a sandbox claimed from a warm pool of one
 * (unpause, attach, hello) vs one created for it (create, start, boot, attach), each then running
 * `true` and destroyed. The pool refills in the background between rounds, outside the clock, as it
 * does between tasks.
 */
async function poolVsCold(): Promise<{ pool: number[]; cold: number[]; missed: number }> {
  const keeper = ownerOf(process.pid);
  const pool = new WarmPool({
    size: 1,
    keeper,
    log: { warning: (m) => console.warn(`sandbox bench: ${m}`) },
  });
  const samples = { pool: [] as number[], cold: [] as number[], missed: 0 };
  try {
    await (await pool.acquire({ taskId: "bench-pool" })).destroy(); // the first claim finds none: fill
    await pool.settle();
    for (let i = 0; i < POOL_ROUNDS; i++) {
      let claimed: DockerSandbox | undefined;
      const elapsed = await timeMs(async () => {
        claimed = await pool.acquire({ taskId: "bench-pool" });
        await claimed.exec("true");
      });
      // On a shared engine another process's cleaner may remove an idle member (an image rebuilt
      // meanwhile makes it stale): such a round measured a create, not a claim.
      if (pool.handedOut.at(-1) === "pool") samples.pool.push(elapsed);
      else samples.missed++;
      await claimed?.destroy();
      let created: DockerSandbox | undefined;
      samples.cold.push(
        await timeMs(async () => {
          created = await DockerSandbox.create({ taskId: "bench-cold" });
          await created.exec("true");
        }),
      );
      await created?.destroy();
      await pool.settle();
    }
    if (samples.pool.length < 3)
      throw new Error(`sandbox bench: the pool created sandboxes instead (${pool.handedOut.join(", ")})`);
  } finally {
    await pool.settle();
    await drainWarmPool(keeper);
  }
  return samples;
}

async function run(): Promise<{ rows: BenchRow[]; metrics: Record<string, number> }> {
  const pooled = await poolVsCold();
  const poolP50 = percentile(pooled.pool, 50);
  const poolSpeedup = percentile(pooled.cold, 50) / poolP50;
  const docker = new Docker();
  const sandbox: DockerSandbox = await createSandbox({ taskId: "bench" });
  const rows: BenchRow[] = [
    {
      measure: "task start to first command",
      ours: `warm pool claim: ${p50p99(pooled.pool)}${pooled.missed ? ` (${pooled.missed} rounds found no member)` : ""}`,
      naive: `cold create: ${p50p99(pooled.cold)}`,
      ratio: `${round(poolSpeedup, 1)}x faster`,
      goal: "p50 <= 50 ms, >= 10x",
    },
  ];
  try {
    const container = docker.getContainer(sandbox.containerId);
    for (let i = 0; i < 5; i++) await sandbox.exec("true");
    const shell = await sample(60, () => sandbox.exec("true"));
    const naiveExec = await sample(15, () => dockerExec(container, ["true"]));
    const shellP50 = percentile(shell, 50);
    const execP50 = percentile(naiveExec, 50);
    rows.push({
      measure: "round trip of `true`",
      ours: p50p99(shell),
      naive: `docker exec: ${p50p99(naiveExec)}`,
      ratio: `${round(execP50 / shellP50, 1)}x faster`,
      goal: "p50 <= 4 ms, >= 25x",
    });

    const plain: number[] = [];
    const hardened: number[] = [];
    for (let i = 0; i < 7; i++) {
      plain.push(await createToFirstCommand(docker, false));
      hardened.push(await createToFirstCommand(docker, true));
    }
    const hardeningRatio = percentile(hardened, 50) / percentile(plain, 50);
    rows.push({
      measure: "create to first command",
      ours: `hardened: ${p50p99(hardened)}`,
      naive: `plain: ${p50p99(plain)}`,
      ratio: `${round(hardeningRatio, 3)}x`,
      goal: "hardening costs <= 5%",
    });

    const megabyte = Buffer.alloc(1024 * 1024, 7);
    const shellWrite = await sample(10, () => sandbox.writeFile("bench-1mb.bin", megabyte));
    const archiveWrite = await sample(10, () =>
      container.putArchive(pack("bench-1mb.bin", megabyte), { path: "/workspace" }),
    );
    const writeSpeedup = percentile(archiveWrite, 50) / percentile(shellWrite, 50);
    rows.push({
      measure: "write 1 MB file",
      ours: `shell: ${p50p99(shellWrite)}`,
      naive: `putArchive: ${p50p99(archiveWrite)}`,
      ratio: `${round(writeSpeedup, 2)}x`,
      goal: "faster than putArchive",
    });

    const hundredMb = "head -c 104857600 /dev/zero | tr '\\0' 'x'";
    let outputMs = 0;
    const rssGrowth = await peakRssGrowthMb(async () => {
      outputMs = await timeMs(() => sandbox.exec(hundredMb, { timeoutMs: 120_000 }));
    });
    const nullMs = await timeMs(() => sandbox.exec(`${hundredMb} > /dev/null`, { timeoutMs: 120_000 }));
    rows.push({
      measure: "100 MB of output",
      ours: `${ms(outputMs)}, peak RSS +${round(rssGrowth, 1)} MB`,
      naive: `to /dev/null: ${ms(nullMs)}`,
      ratio: `${round(outputMs / nullMs, 2)}x time`,
      goal: "RSS a few MB",
    });

    const timeoutEnd = await timeMs(() => sandbox.exec("sleep 100", { timeoutMs: 1000 }));
    rows.push({
      measure: "1 s timeout of sleep 100",
      ours: `ended at ${ms(timeoutEnd)}`,
      goal: "<= 1250 ms",
    });

    return {
      rows,
      metrics: {
        "sandbox.pool_first_command_p50_ms": round(poolP50, 2),
        "sandbox.pool_first_command_p99_ms": round(percentile(pooled.pool, 99), 2),
        "sandbox.cold_first_command_p50_ms": round(percentile(pooled.cold, 50), 1),
        "sandbox.pool_speedup_vs_cold": round(poolSpeedup, 2),
        "sandbox.shell_roundtrip_p50_ms": round(shellP50, 3),
        "sandbox.shell_roundtrip_p99_ms": round(percentile(shell, 99), 3),
        "sandbox.docker_exec_roundtrip_p50_ms": round(execP50, 3),
        "sandbox.shell_speedup_vs_exec": round(execP50 / shellP50, 2),
        "sandbox.hardening_overhead_ratio": round(hardeningRatio, 3),
        "sandbox.write_1mb_speedup_vs_archive": round(writeSpeedup, 2),
        "sandbox.output_100mb_peak_rss_mb": round(rssGrowth, 1),
        "sandbox.timeout_1s_end_ms": round(timeoutEnd, 1),
      },
    };
  } finally {
    await sandbox.destroy();
  }
}

const area: BenchArea = { name: "sandbox", run };
export default area;
