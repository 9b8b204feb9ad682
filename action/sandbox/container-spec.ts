/**
 * The hardened container definition. Everything that keeps a task inside its box is here, so a
 * reviewer reads the whole policy in one place: no capabilities, no privilege gain, read-only
 * root, caps on memory (no swap), CPU and processes, an init to reap zombies, no network unless
 * the profile opens it, and never the Docker socket.
 */
import type Docker from "dockerode";
import type { SandboxSettings } from "./options.ts";
import { currentOwner, LABEL_OWNER } from "./owner-process.ts";
import { SHELL_BOOT_SCRIPT } from "./shell-prelude.ts";
import { WORKSPACE_DIR } from "./workspace-path.ts";

export const AGENT_HOME = "/home/agent";
/** Where the combined CA bundle lands when `caBundlePath` is given (home is a tmpfs). */
export const SANDBOX_CA_BUNDLE = `${AGENT_HOME}/.inhouse/ca-bundle.pem`;
export const CA_ENV_NAMES = [
  "SSL_CERT_FILE",
  "NODE_EXTRA_CA_CERTS",
  "REQUESTS_CA_BUNDLE",
  "PIP_CERT",
  "GIT_SSL_CAINFO",
];

export const LABEL_SANDBOX = "inhouse.sandbox";
export const LABEL_CREATED = "inhouse.created";
export const LABEL_TASK = "inhouse.task";
/** One sandbox and what it owns (its allowlist proxy and network): the post step removes by it. */
export const LABEL_INSTANCE = "inhouse.instance";

export interface ContainerNames {
  container: string;
  /** The workspace is a named volume (see workspaceMount) so putArchive can seed it. */
  volume: string;
}

export function sandboxLabels(settings: SandboxSettings, createdAt: number): Record<string, string> {
  return {
    ...settings.labels,
    [LABEL_SANDBOX]: "1",
    [LABEL_CREATED]: String(createdAt),
    [LABEL_TASK]: settings.taskId,
    // The process whose end makes it a leftover: this one, or a warm pool's keeper (pool/).
    [LABEL_OWNER]: settings.labels[LABEL_OWNER] ?? currentOwner(),
  };
}

/**
 * /workspace is a `local` volume of type tmpfs with a size cap: writable under a read-only root,
 * gone with the task, and, unlike a container tmpfs mount, reachable by the archive API (Docker
 * refuses putArchive on a read-only root unless the target is a volume).
 */
function workspaceMount(
  settings: SandboxSettings,
  names: ContainerNames,
  labels: Record<string, string>,
): Docker.MountSettings {
  return {
    Type: "volume",
    Source: names.volume,
    Target: WORKSPACE_DIR,
    VolumeOptions: {
      NoCopy: true,
      Labels: labels,
      DriverConfig: {
        Name: "local",
        Options: {
          type: "tmpfs",
          device: "tmpfs",
          o: `size=${settings.workspaceMb}m,uid=1000,gid=1000,mode=0755`,
        },
      },
    },
  };
}

/**
 * Host threads gVisor's own sentry and gofer may use on top of the sandbox's process cap. Under
 * runsc the container's pids cgroup on the host holds those Go programs, not the sandbox's
 * processes: they start at about 80 threads and grow with each command's I/O, so the bare cap
 * (128 in a small sandbox) was reached after a few commands and the Go runtime, unable to make a
 * thread, ended the whole sandbox (exit 2). They level off near 200 over a task's commands; a
 * fork bomb held by RLIMIT_NPROC inside still drives them to about 1,100 (Debian's runsc 2022-12).
 */
export const GVISOR_HOST_THREADS = 2048;

/**
 * The process cap, where the runtime enforces it. runc: the container's pids cgroup. gVisor: its
 * own kernel's RLIMIT_NPROC for the sandbox's user (a fork bomb gets EAGAIN there), with the host
 * cgroup still capped, at the cap plus gVisor's own threads. Not under runc: there RLIMIT_NPROC
 * counts every process of uid 1000 on the host, other sandboxes' too.
 */
function processCaps(settings: SandboxSettings): Pick<Docker.HostConfig, "PidsLimit" | "Ulimits"> {
  if (settings.runtime !== "runsc") return { PidsLimit: settings.pids };
  return {
    PidsLimit: settings.pids + GVISOR_HOST_THREADS,
    Ulimits: [{ Name: "nproc", Soft: settings.pids, Hard: settings.pids }],
  };
}

export function hardenedContainerSpec(
  settings: SandboxSettings,
  names: ContainerNames,
  createdAt: number,
  /** `none`, `bridge`, or the task's internal network (allowlist profile). */
  networkMode: string = settings.network === "open" ? "bridge" : "none",
): Docker.ContainerCreateOptions {
  const labels = sandboxLabels(settings, createdAt);
  const env = Object.entries(settings.env).map(([name, value]) => `${name}=${value}`);
  if (settings.caBundlePath) env.push(...CA_ENV_NAMES.map((name) => `${name}=${SANDBOX_CA_BUNDLE}`));
  const memoryBytes = settings.memoryMb * 1024 * 1024;
  return {
    name: names.container,
    Image: settings.image,
    // The persistent shell is the main process: attaching to it is far cheaper than `docker exec`.
    // Its stdin closes when the attached host goes away, and then the container stops.
    Cmd: ["bash", "--noprofile", "--norc", "-c", SHELL_BOOT_SCRIPT],
    OpenStdin: true,
    StdinOnce: true,
    User: "1000:1000",
    WorkingDir: WORKSPACE_DIR,
    Env: [`HOME=${AGENT_HOME}`, ...env],
    Labels: labels,
    HostConfig: {
      // gVisor, Kata or Sysbox when the runner chose one; the daemon's default (runc) otherwise.
      ...(settings.runtime ? { Runtime: settings.runtime } : {}),
      // The profile can change while the task runs (setup vs turns): see egress/sandbox-network.ts.
      NetworkMode: networkMode,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      Tmpfs: {
        "/tmp": `rw,exec,nosuid,nodev,size=${settings.tmpMb}m`,
        [AGENT_HOME]: `rw,exec,nosuid,nodev,size=512m,uid=1000,gid=1000,mode=0755`,
      },
      Mounts: [workspaceMount(settings, names, labels)],
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(settings.cpus * 1e9),
      ...processCaps(settings),
      Init: true,
      // Command output reaches the attached host only; nothing is written to the daemon's disk.
      LogConfig: { Type: "none", Config: {} },
      Privileged: false,
      AutoRemove: false,
    },
  };
}
