/**
 * A second Docker daemon in the shape of actions-runner-controller's Docker-in-Docker mode: its own
 * data root, exec root, pid file and socket, its own network namespace (its own bridge and
 * iptables, like the dind sidecar in the runner pod) and its own mount namespace with a private,
 * empty /tmp, so nothing the action writes under its /tmp is visible to the daemon. The action
 * reaches it only through `DOCKER_HOST=unix://…`, as the runner container reaches the sidecar.
 *
 * Needs root, `dockerd`, `unshare` and `docker`; `secondDaemonUnavailable()` says why not when one is missing.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import Docker from "dockerode";

export interface SecondDaemon {
  /** `unix:///run/inhouse-dind-<id>.sock`: what `DOCKER_HOST` is set to. */
  host: string;
  docker: Docker;
  /** The daemon's data root: removed by `stop()`. */
  dataRoot: string;
  /** What the daemon printed (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

function onPath(binary: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${binary}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Undefined when a second daemon can start here; else what is missing. */
export function secondDaemonUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "starting a second dockerd needs root";
  for (const binary of ["dockerd", "unshare", "docker"]) {
    if (!onPath(binary)) return `${binary} is not installed`;
  }
  return undefined;
}

/**
 * The daemon's own process tree: `unshare` makes a mount and network namespace, mounts an empty
 * tmpfs on /tmp (and on /run/containerd, so it starts its own containerd rather than finding a
 * system one), brings up loopback, and execs dockerd with every path of its own.
 */
function daemonScript(paths: Record<string, string>): string {
  return [
    "set -e",
    "mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp",
    "mkdir -p /run/containerd && mount -t tmpfs -o size=1m tmpfs /run/containerd",
    // Loopback up, as in a pod's namespace; where iproute2 is absent dockerd does without it.
    "if command -v ip >/dev/null 2>&1; then ip link set lo up; fi",
    [
      "exec dockerd",
      `--config-file ${paths.config}`,
      `--data-root ${paths.dataRoot}`,
      `--exec-root ${paths.execRoot}`,
      `--pidfile ${paths.pidfile}`,
      `--host unix://${paths.socket}`,
      "--containerd-namespace inhouse-dind",
      "--containerd-plugins-namespace inhouse-dind-plugins",
      "--cgroup-parent inhouse-dind",
    ].join(" "),
  ].join("\n");
}

export async function startSecondDaemon(timeoutMs = 60_000): Promise<SecondDaemon> {
  const id = randomBytes(4).toString("hex");
  const paths = {
    dataRoot: `/var/lib/inhouse-dind-${id}`,
    execRoot: `/run/inhouse-dind-${id}`,
    pidfile: `/run/inhouse-dind-${id}.pid`,
    socket: `/run/inhouse-dind-${id}.sock`,
    // Not /etc/docker/daemon.json: the host's runtimes and settings are not the sidecar's.
    config: `/run/inhouse-dind-${id}.json`,
  };
  await mkdir(paths.dataRoot, { recursive: true });
  await writeFile(paths.config, "{}\n");
  let output = "";
  const child: ChildProcess = spawn(
    "unshare",
    ["--mount", "--net", "--propagation", "private", "sh", "-c", daemonScript(paths)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const docker = new Docker({ socketPath: paths.socket });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killed = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, 20_000, false)),
      ]);
      if (!killed) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    // Its mounts lived in its own namespace and went with it; the data root is a plain directory.
    await rm(paths.dataRoot, { recursive: true, force: true });
    await rm(paths.execRoot, { recursive: true, force: true });
    for (const file of [paths.pidfile, paths.socket, paths.config]) await rm(file, { force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(paths.socket)) {
      try {
        await docker.ping();
        break;
      } catch {
        // not answering yet
      }
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the second dockerd did not start (exit ${child.exitCode}):\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { host: `unix://${paths.socket}`, docker, dataRoot: paths.dataRoot, log: () => output, stop };
}

/**
 * Copies images from the host's daemon into the second one (`docker save | docker load`), the way
 * a dind sidecar gets images it cannot pull. All in one archive, so the layers they share (the
 * Debian base of the sandbox and proxy images) travel once; asynchronous, so the caller can start
 * other set-up meanwhile. `lockFile` serialises with image builds (a rebuild while saving would
 * save half of one); the caller passes one when the machine has it.
 */
export async function copyImages(images: string[], to: SecondDaemon, lockFile?: string): Promise<void> {
  const pipeline = `set -o pipefail; docker save ${images.join(" ")} | DOCKER_HOST=${to.host} docker load -q`;
  const [command, args] = lockFile
    ? ["flock", [lockFile, "bash", "-c", pipeline]]
    : ["bash", ["-c", pipeline]];
  await promisify(execFile)(command as string, args as string[], { timeout: 240_000 });
}
