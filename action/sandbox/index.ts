/** Public surface of one sandbox (the warm pool and leftover removal, which know pooled ones too: `pool/index.ts`). */
export { createSandbox, DockerSandbox } from "./docker-sandbox.ts";
export { type EgressReport, formatBlocked, withBlockedHosts } from "./egress/index.ts";
export { isSandboxError, SandboxError, type SandboxErrorCode } from "./engine/errors.ts";
export { DEFAULT_IMAGE } from "./options.ts";
export { ownerOf } from "./owner-process.ts";
export type { ExecOptions, ExecResult, NetworkMode, Sandbox, SandboxOptions } from "./types.ts";
export { resolveWorkspacePath, WORKSPACE_DIR } from "./workspace-path.ts";
