/**
 * Container runtimes a sandbox may run under. Docker picks the runtime per container
 * (`HostConfig.Runtime`, `docker run --runtime`) from those registered with the daemon
 * (`runtimes` in /etc/docker/daemon.json, listed under `Runtimes` by `docker info`):
 * https://docs.docker.com/reference/cli/dockerd/#configure-container-runtimes
 * A runtime the daemon does not list fails here, before anything is created, with how to add it.
 */
import type Docker from "dockerode";
import { SandboxError } from "./engine/errors.ts";
import type { NetworkMode } from "./types.ts";

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

interface RuntimeEntry {
  path?: string;
  runtimeArgs?: string[];
}

export interface DaemonRuntimes {
  names: string[];
  default: string;
  /** Runtimes registered with `--network=none`: their containers have no network whatever Docker attaches. */
  networkless: string[];
}

/** The runtimes the daemon offers (`docker info` → Runtimes, with their runtimeArgs) and its default. */
export async function daemonRuntimes(docker: Docker): Promise<DaemonRuntimes> {
  const info = (await docker.info()) as {
    Runtimes?: Record<string, RuntimeEntry>;
    DefaultRuntime?: string;
  };
  const runtimes = info.Runtimes ?? {};
  return {
    names: Object.keys(runtimes).sort(),
    default: info.DefaultRuntime ?? "runc",
    networkless: Object.entries(runtimes)
      .filter(([, entry]) => entry.runtimeArgs?.includes("--network=none"))
      .map(([name]) => name),
  };
}

/**
 * Fails with install advice when the daemon does not offer `runtime` (undefined means Docker's
 * default), and when the sandbox needs a network the runtime was registered without: gVisor with
 * `--network=none` gives a container only loopback, so `allowlist` and `open` would fail later and
 * obscurely (https://gvisor.dev/docs/user_guide/networking/#none).
 */
export async function ensureRuntimeAvailable(
  docker: Docker,
  runtime: string | undefined,
  network: NetworkMode = "none",
): Promise<void> {
  if (runtime === undefined) return;
  let offered: DaemonRuntimes;
  try {
    offered = await daemonRuntimes(docker);
  } catch (error) {
    throw new SandboxError("docker-unavailable", `Docker failed to list its runtimes: ${String(error)}`, {
      cause: error,
    });
  }
  if (offered.names.includes(runtime)) {
    if (network === "none" || !offered.networkless.includes(runtime)) return;
    throw new SandboxError(
      "runtime-missing",
      `The sandbox runtime '${runtime}' is registered with --network=none, so the '${network}' network profile cannot work under it. ` +
        `To fix: use network 'none' with ${runtime}, or remove --network=none from its runtimeArgs in /etc/docker/daemon.json where gVisor's network works on this host (RUNSC_ARGS="" bash scripts/gvisor-runtime.sh).`,
    );
  }
  throw new SandboxError(
    "runtime-missing",
    `The sandbox runtime '${runtime}' is not registered with this Docker engine (it offers: ${offered.names.join(", ") || "none"}). ` +
      `To fix: ${runtimeInstallAdvice(runtime)}; or choose another with the runner's sandbox-runtime setting.`,
  );
}
