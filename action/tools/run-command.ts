import { z } from "zod";
import type { ExecResult } from "../sandbox/types.ts";
import { execForTool } from "./sandbox-exec.ts";
import { defineTool } from "./types.ts";

export const RUN_DEFAULT_TIMEOUT_SECONDS = 300;

const schema = z.strictObject({
  command: z.string().min(1).describe("Shell command, run with bash from the repository root"),
  timeoutSeconds: z
    .int()
    .min(1)
    .max(3_600)
    .default(RUN_DEFAULT_TIMEOUT_SECONDS)
    .describe("Kill the command after this many seconds"),
});

export function formatExecResult(result: ExecResult, timeoutMs: number): string {
  const status = result.timedOut
    ? `timed out after ${Math.round(timeoutMs / 1000)} s (killed)`
    : `exit code ${result.exitCode}`;
  const parts = [`${status}, ${Math.round(result.durationMs)} ms`];
  if (result.stdout) parts.push(`--- stdout ---\n${result.stdout.trimEnd()}`);
  if (result.stderr) parts.push(`--- stderr ---\n${result.stderr.trimEnd()}`);
  if (result.truncated) parts.push("[output was cut to its head and tail]");
  return parts.join("\n");
}

export const runTool = defineTool({
  name: "run",
  description:
    "Run a shell command in the repository (tests, builds, git, scripts). Output is capped to its head and tail. No network unless the runner allows it.",
  schema,
  writes: true,
  async run({ command, timeoutSeconds }, { sandbox, maxCommandMs }) {
    const timeoutMs = Math.max(1, Math.min(timeoutSeconds * 1000, maxCommandMs));
    const result = await execForTool(sandbox, command, { timeoutMs });
    return { output: formatExecResult(result, timeoutMs), label: command };
  },
});
