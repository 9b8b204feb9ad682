/**
 * Container runtimes a sandbox may run under. Docker picks the runtime per container
 * (`HostConfig.Runtime`, `docker run --runtime`) from those registered with the daemon
 * (`runtimes` in /etc/docker/daemon.json, listed under `Runtimes` by `docker info`):
 * https://docs.docker.com/reference/cli/dockerd/#configure-container-runtimes
 * A runtime the daemon does not list fails here, before anything is created, with how to add it.
 */
import type Docker from "dockerode";
import { SandboxError } from "./errors.ts";

export { RUNTIME_NAME } from "../../core/runtime-name.ts";

const INSTALL_ADVICE: Record<string, string> = {
  runsc:
    "install gVisor (Debian/Ubuntu: `apt-get install runsc`, or https://gvisor.dev/docs/user_guide/install/), " +
    'register it in /etc/docker/daemon.json as {"runtimes":{"runsc":{"path":"/usr/bin/runsc"}}} and restart dockerd ' +
    "(scripts/install-runner-host.sh --runtime runsc does both)",
  kata:
    "install Kata Containers (https://github.com/kata-containers/kata-containers/blob/main/docs/install/README.md), " +
    'register it in /etc/docker/daemon.json as {"runtimes":{"kata":{"path":"/usr/bin/kata-runtime"}}} and restart dockerd',
  "sysbox-runc":
    "install Sysbox (https://github.com/nestybox/sysbox/blob/master/docs/user-guide/install-package.md); " +
    "its package registers sysbox-runc with dockerd",
};

/** What to do when `runtime` is not registered with the Docker daemon. */
export function runtimeInstallAdvice(runtime: string): string {
  return (
    INSTALL_ADVICE[runtime] ??
    `register it under "runtimes" in /etc/docker/daemon.json (https://docs.docker.com/reference/cli/dockerd/#configure-container-runtimes) and restart dockerd`
  );
}

/** The runtimes the daemon offers (`docker info` → Runtimes) and its default. */
export async function daemonRuntimes(docker: Docker): Promise<{ names: string[]; default: string }> {
  const info = (await docker.info()) as { Runtimes?: Record<string, unknown>; DefaultRuntime?: string };
  return { names: Object.keys(info.Runtimes ?? {}).sort(), default: info.DefaultRuntime ?? "runc" };
}

/** Fails with install advice when the daemon does not offer `runtime`; undefined means Docker's default. */
export async function ensureRuntimeAvailable(docker: Docker, runtime: string | undefined): Promise<void> {
  if (runtime === undefined) return;
  let offered: { names: string[] };
  try {
    offered = await daemonRuntimes(docker);
  } catch (error) {
    throw new SandboxError("docker-unavailable", `Docker failed to list its runtimes: ${String(error)}`, {
      cause: error,
    });
  }
  if (offered.names.includes(runtime)) return;
  throw new SandboxError(
    "runtime-missing",
    `The sandbox runtime '${runtime}' is not registered with this Docker engine (it offers: ${offered.names.join(", ") || "none"}). ` +
      `To fix: ${runtimeInstallAdvice(runtime)}; or choose another with the runner's sandbox-runtime setting.`,
  );
}
