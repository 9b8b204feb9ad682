/**
 * Before each task: remove what runs that crashed left on this runner. Containers (sandboxes and
 * allowlist proxies), workspace volumes and internal networks are found by the inhouse labels;
 * working directories by their `inhouse-work-` / `inhouse-run-` prefix under the runner's temp
 * directory. Only things older than the longest a task may run are touched, so a task still
 * running on another runner of the same host keeps its sandbox.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { LABEL_INSTANCE } from "./sandbox/container-spec.ts";
import { removeLeftoverSandboxes } from "./sandbox/pool/leftovers.ts";

export const WORK_DIR_PREFIXES = ["inhouse-work-", "inhouse-run-"];

export interface LeftoverReport {
  containers: number;
  volumes: number;
  networks: number;
  workDirs: string[];
}

export interface CleanLeftoversOptions {
  olderThanMs: number;
  /** Directories whose `inhouse-work-*` children are a crashed run's working copies. */
  tempDirs: string[];
  docker?: Docker;
}

export async function removeStaleWorkDirs(tempDirs: string[], olderThanMs: number): Promise<string[]> {
  const cutoff = Date.now() - olderThanMs;
  const removed: string[] = [];
  for (const dir of tempDirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || !WORK_DIR_PREFIXES.some((prefix) => entry.name.startsWith(prefix)))
        continue;
      const path = join(dir, entry.name);
      const info = await stat(path).catch(() => undefined);
      if (!info || info.mtimeMs > cutoff) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return removed;
}

export async function cleanLeftovers(options: CleanLeftoversOptions): Promise<LeftoverReport> {
  const docker = await removeLeftoverSandboxes({ olderThanMs: options.olderThanMs, docker: options.docker });
  const workDirs = await removeStaleWorkDirs(options.tempDirs, options.olderThanMs);
  return {
    containers: docker.containers.length,
    volumes: docker.volumes.length,
    networks: docker.networks.length,
    workDirs,
  };
}

/** The age past which a run's leftovers are a crash's: the runner's task time cap plus an hour. */
export function leftoverAgeMs(maxTaskMinutes: number): number {
  return (maxTaskMinutes + 60) * 60_000;
}

/** The start of every task: clean, log what went, and never fail the task over it. */
export async function cleanLeftoversBeforeTask(
  settings: { env: { runnerTemp: string }; caps: { minutes: number } },
  log: { info(message: string): void; warning(message: string): void },
): Promise<void> {
  try {
    const report = await cleanLeftovers({
      olderThanMs: leftoverAgeMs(settings.caps.minutes),
      tempDirs: [settings.env.runnerTemp],
    });
    const count = report.containers + report.volumes + report.networks + report.workDirs.length;
    if (count > 0) {
      log.info(
        `removed leftovers of crashed runs: ${report.containers} containers, ${report.volumes} volumes, ${report.networks} networks, ${report.workDirs.length} working directories`,
      );
    }
  } catch (error) {
    log.warning(`could not remove leftovers of earlier runs (Docker unreachable?): ${String(error)}`);
  }
}

/** The instance label of a sandbox container, read before the post step removes it. */
export async function sandboxInstanceOf(
  containerId: string,
  docker: Docker = new Docker(),
): Promise<string | undefined> {
  const info = await docker
    .getContainer(containerId)
    .inspect()
    .catch(() => undefined);
  return info?.Config.Labels?.[LABEL_INSTANCE];
}

/**
 * The post step: what one sandbox owned (allowlist proxy, network, workspace volume, and the
 * container if still there), whatever its age, found by the sandbox's instance label.
 */
export async function removeSandboxInstance(instance: string, docker?: Docker): Promise<LeftoverReport> {
  const removed = await removeLeftoverSandboxes({
    olderThanMs: 0,
    labels: [`${LABEL_INSTANCE}=${instance}`],
    docker,
  });
  return {
    containers: removed.containers.length,
    volumes: removed.volumes.length,
    networks: removed.networks.length,
    workDirs: [],
  };
}
