/** Where the agent's commands and tests run: one hardened container per task. */

import type { EgressReport } from "./egress/egress-log.ts";
import type { NetworkMode } from "./egress/sandbox-network.ts";
import type { SandboxProcess } from "./spawn-process.ts";

export type { NetworkMode };

export interface SandboxOptions {
  /** Image to run; built by `runner-image/build.sh`. Default `inhouse-sandbox:latest`. */
  image?: string;
  /** Network at start; `setNetwork` switches a running sandbox. Default `none`. */
  network?: NetworkMode;
  /** Hosts the `allowlist` profile's proxy lets through (`host`, `*.host`, `host:port`). */
  allowlist?: string[];
  /**
   * Private address ranges (CIDR) the proxy may still reach, such as an internal registry. Every
   * other loopback, private, link-local and CGNAT destination is refused. Default none.
   */
  internalRanges?: string[];
  /**
   * Container runtime registered with the Docker daemon (`runsc` for gVisor, `kata`, `sysbox-runc`);
   * unset runs under the daemon's default (runc). Checked before anything is created.
   */
  runtime?: string;
  /** Image of the allowlist proxy; built by `runner-image/egress-proxy/build.sh`. */
  proxyImage?: string;
  memoryMb?: number;
  cpus?: number;
  pids?: number;
  /** Extra labels; every container also gets `inhouse.sandbox=1`, `inhouse.created=<ms>` and a task label. */
  labels?: Record<string, string>;
  /** Identifies the task in labels and names (`inhouse.task`). */
  taskId?: string;
  /** PEM bundle the sandbox should trust in addition to its own (TLS-intercepting proxies). */
  caBundlePath?: string;
  /** Environment for the long-lived shell. Never a credential. */
  env?: Record<string, string>;
  /** Size cap of the /workspace tmpfs volume. Default 4096. */
  workspaceMb?: number;
  /** Size cap of the /tmp tmpfs. Default 1024. */
  tmpMb?: number;
  /** Deadline for `exec` calls that give no `timeoutMs`. Default 10 minutes. */
  defaultTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when a command passes its deadline. Default 1000. */
  killGraceMs?: number;
  /** Default `ExecOptions.maxOutputBytes`. Default 64 KiB. */
  maxOutputBytes?: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Relative paths are taken from /workspace. */
  cwd?: string;
  env?: Record<string, string>;
  /** Bytes kept of each stream, split between head and tail. */
  maxOutputBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** True when either stream lost bytes to the head+tail cap. */
  truncated: boolean;
  timedOut: boolean;
  durationMs: number;
}

export interface Sandbox {
  readonly containerId: string;
  /** Absolute path of the working tree inside the container. */
  readonly workdir: string;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  /** Paths are relative to the workspace; anything resolving outside it is refused. */
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, content: string | Uint8Array): Promise<void>;
  /** Copies a working tree (with its .git, credential-free) into the workspace. */
  seed(treeDir: string): Promise<void>;
  /** The changes since seeding as a binary-safe git patch (`git diff --binary` of HEAD vs the tree). */
  diff(): Promise<string>;
  /** Moves the running sandbox to another network profile (setup under one, turns under another). */
  setNetwork?(mode: NetworkMode): Promise<void>;
  /** Requests the allowlist proxy refused, by host; still readable after `destroy()`. */
  egressReport?(): Promise<EgressReport>;
  /**
   * Starts a long-running process in the container beside the shell, stdin and stdout piped (an MCP
   * server over stdio), as the sandbox user under the sandbox's network profile.
   */
  spawn?(argv: string[], options?: { env?: Record<string, string>; cwd?: string }): Promise<SandboxProcess>;
  destroy(): Promise<void>;
}
