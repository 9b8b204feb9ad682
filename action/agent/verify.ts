/** Runs the repository's test command the way the loop trusts it: outside the model's control. */
import type { Sandbox } from "../sandbox/types.ts";
import { tail } from "./observation.ts";
import type { Verification } from "./types.ts";

export const VERIFICATION_TAIL_CHARS = 4_000;
const VERIFY_MAX_MS = 20 * 60_000;

export async function runVerification(
  sandbox: Sandbox,
  command: string,
  remainingMs: number,
): Promise<Verification> {
  const timeoutMs = Math.max(1, Math.min(VERIFY_MAX_MS, remainingMs));
  const result = await sandbox.exec(command, { timeoutMs });
  const output = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join("\n");
  const timeoutNote = result.timedOut
    ? `\n[the test command timed out after ${Math.round(timeoutMs / 1000)} s]`
    : "";
  return {
    command,
    passed: result.exitCode === 0 && !result.timedOut,
    exitCode: result.exitCode,
    outputTail: tail(output + timeoutNote, VERIFICATION_TAIL_CHARS),
  };
}

export function verificationFeedback(verification: Verification): string {
  return [
    `You called finish, but the test command \`${verification.command}\` failed (exit code ${verification.exitCode}).`,
    "Its output (tail):",
    "```",
    verification.outputTail,
    "```",
    "Fix the cause, run the tests, and call finish again.",
  ].join("\n");
}
