/**
 * Tool errors carry a kind: `recoverable` goes back to the model as the call's result so it can
 * correct itself; `fatal` ends the task (the sandbox is gone, the workspace is unusable).
 */
export type ToolErrorKind = "recoverable" | "fatal";

export class ToolError extends Error {
  constructor(
    message: string,
    readonly kind: ToolErrorKind = "recoverable",
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/**
 * Sandbox failures say themselves whether the model can fix them (`recoverable` on SandboxError:
 * a missing file, a refused path); anything else thrown by the sandbox means it is unusable.
 */
export function asToolError(error: unknown): ToolError {
  if (error instanceof ToolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const recoverable = (error as { recoverable?: unknown } | null)?.recoverable === true;
  return new ToolError(message, recoverable ? "recoverable" : "fatal");
}
