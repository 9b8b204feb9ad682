/** Public surface of the sandbox layer. */
export { createSandbox, DockerSandbox } from "./docker-sandbox.ts";
export { type EgressReport, formatBlocked, withBlockedHosts } from "./egress/index.ts";
export { isSandboxError, SandboxError, type SandboxErrorCode } from "./errors.ts";
export {
  type LeftoverCleanupOptions,
  type LeftoverCleanupResult,
  removeLeftoverSandboxes,
} from "./leftovers.ts";
export { DEFAULT_IMAGE } from "./options.ts";
export { ownerOf } from "./owner-process.ts";
export { runnerKeeperFrom, runnerKeeperPid, sessionKeeperPid } from "./pool/keeper.ts";
export { WarmPool, type WarmPoolOptions } from "./pool/warm-pool.ts";
export type { ExecOptions, ExecResult, NetworkMode, Sandbox, SandboxOptions } from "./types.ts";
export { resolveWorkspacePath, WORKSPACE_DIR } from "./workspace-path.ts";
