import type { ExecOptions, ExecResult, Sandbox } from "../sandbox/types.ts";
import { asToolError } from "./tool-error.ts";

/** Runs a tool's own command; a sandbox that cannot run commands any more ends the task. */
export async function execForTool(
  sandbox: Sandbox,
  command: string,
  options?: ExecOptions,
): Promise<ExecResult> {
  try {
    return await sandbox.exec(command, options);
  } catch (error) {
    throw asToolError(error);
  }
}
