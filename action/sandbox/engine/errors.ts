/**
 * Sandbox failures carry a code so the agent loop can tell a tool error the model can correct
 * (a bad path, a missing file) from one that ends the task (Docker gone, container killed).
 */
export type SandboxErrorCode =
  | "docker-unavailable"
  | "image-missing"
  | "runtime-missing"
  | "network-unavailable"
  | "invalid-options"
  | "container-gone"
  | "shell-unresponsive"
  | "invalid-command"
  | "path-refused"
  | "file-not-found"
  | "not-a-file"
  | "file-io"
  | "output-too-large"
  | "seed-failed"
  | "diff-failed";

const recoverableCodes: ReadonlySet<SandboxErrorCode> = new Set([
  "invalid-command",
  "path-refused",
  "file-not-found",
  "not-a-file",
  "file-io",
]);

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  /** True when the model can fix it with another tool call; false when the sandbox is unusable. */
  readonly recoverable: boolean;

  constructor(code: SandboxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SandboxError";
    this.code = code;
    this.recoverable = recoverableCodes.has(code);
  }
}

export function isSandboxError(error: unknown, code?: SandboxErrorCode): error is SandboxError {
  return error instanceof SandboxError && (code === undefined || error.code === code);
}
