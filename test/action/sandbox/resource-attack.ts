/**
 * What "contained" means for a resource attack (fork bomb, memory hog) run for real in a sandbox:
 * the command never runs clean, and then either the shell answers again or, only where
 * `sandboxMayEnd` (gVisor: Debian's runsc 2022-12 ends the whole sandbox for a fork bomb and for a
 * memory hog), the sandbox is gone and says so with the sandbox error `container-gone`, which
 * fails the task with a clear status instead of leaving it waiting.
 */
import { expect } from "vitest";
import { type DockerSandbox, type ExecResult, isSandboxError } from "../../../action/sandbox/index.ts";

export type ResourceAttackEnd = "shell-lives" | "sandbox-ended";

export interface ResourceAttackOutcome {
  end: ResourceAttackEnd;
  /** The attack command's result, when the sandbox answered it at all. */
  result?: ExecResult;
}

export async function expectResourceAttackContained(
  sandbox: DockerSandbox,
  command: string,
  timeoutMs: number,
  options: { sandboxMayEnd: boolean },
): Promise<ResourceAttackOutcome> {
  const gone = (error: unknown): ResourceAttackEnd => {
    if (!options.sandboxMayEnd || !isSandboxError(error, "container-gone")) throw error;
    return "sandbox-ended";
  };
  let end: ResourceAttackEnd;
  let result: ExecResult | undefined;
  try {
    result = await sandbox.exec(command, { timeoutMs });
    expect({ timedOut: result.timedOut, exitCode: result.exitCode }).not.toEqual({
      timedOut: false,
      exitCode: 0,
    });
    end = await sandbox.exec("echo alive").then((alive) => {
      expect(alive.stdout).toBe("alive\n");
      return "shell-lives" as const;
    }, gone);
  } catch (error) {
    end = gone(error);
  }
  if (end === "sandbox-ended") {
    await expect(sandbox.exec("true")).rejects.toSatisfy((e) => isSandboxError(e, "container-gone"));
  }
  return { end, ...(result ? { result } : {}) };
}
