/** Headroom on the runner host: disk for mirrors and images, memory for the sandboxes it runs. */
import { statfs } from "node:fs/promises";
import { freemem, totalmem } from "node:os";
import { type CheckResult, runCheck } from "./check.ts";

export interface HostCheckOptions {
  /** Where mirrors and workspaces live (the runner's cache directory). */
  cacheDir: string;
  /** Least free disk, in GiB. Default 5. */
  minDiskGb?: number;
  /** Least memory a sandbox is allowed, in MiB (the runner's max-memory-mb). Default 4096. */
  sandboxMemoryMb?: number;
}

const GIB = 1024 ** 3;

/** The nearest existing parent: the cache directory may not exist before the first task. */
async function freeBytes(path: string): Promise<number> {
  let at = path;
  for (;;) {
    try {
      const stats = await statfs(at);
      return stats.bavail * stats.bsize;
    } catch (error) {
      const parent = at.replace(/\/[^/]+\/?$/, "") || "/";
      if (parent === at) throw error;
      at = parent;
    }
  }
}

export async function hostChecks(options: HostCheckOptions): Promise<CheckResult[]> {
  const minDisk = options.minDiskGb ?? 5;
  const sandboxMb = options.sandboxMemoryMb ?? 4096;
  return [
    await runCheck(
      "host",
      "host.disk",
      async () => {
        const free = (await freeBytes(options.cacheDir)) / GIB;
        const summary = `${free.toFixed(1)} GiB free for ${options.cacheDir}`;
        if (free < minDisk)
          return {
            status: "fail",
            summary: `${summary}, under the ${minDisk} GiB mirrors and images need`,
            fix: "free space (`docker system prune`, old mirrors under the cache directory) or point cache-dir at a larger disk",
            details: { freeGb: free },
          };
        return { status: "ok", summary, details: { freeGb: free } };
      },
      "check that the cache directory's disk is mounted",
    ),
    await runCheck(
      "host",
      "host.memory",
      async () => {
        const totalMb = totalmem() / 1024 ** 2;
        const freeMb = freemem() / 1024 ** 2;
        const summary = `${(totalMb / 1024).toFixed(1)} GiB memory, ${(freeMb / 1024).toFixed(1)} GiB free; a sandbox may use up to ${sandboxMb} MiB`;
        if (totalMb < sandboxMb + 512)
          return {
            status: "fail",
            summary,
            fix: `give the host more than ${sandboxMb + 512} MiB, or lower the runner's max-memory-mb`,
            details: { totalMb, freeMb },
          };
        if (freeMb < sandboxMb)
          return {
            status: "warn",
            summary: `${summary}: a task now may be killed for memory`,
            details: { totalMb, freeMb },
          };
        return { status: "ok", summary, details: { totalMb, freeMb } };
      },
      "could not read the host's memory",
    ),
  ];
}
