/** The repository's setup commands, run once before the first model call. */
import type { Sandbox } from "../sandbox/types.ts";
import type { AuditLog } from "./audit-log.ts";
import { tail } from "./observation.ts";
import type { AgentProgress } from "./types.ts";

const SETUP_MAX_MS = 15 * 60_000;

/** Runs each command in order and returns a description of each failure (the run goes on). */
export async function runSetupCommands(
  sandbox: Sandbox,
  commands: string[],
  audit: AuditLog,
  onProgress: (event: AgentProgress) => void,
  remainingMs: () => number,
): Promise<string[]> {
  const failures: string[] = [];
  for (const command of commands) {
    if (remainingMs() <= 0) {
      failures.push(`\`${command}\` (not run: the time budget ran out, limits.minutes)`);
      continue;
    }
    onProgress({ phase: "setup", command });
    const result = await sandbox.exec(command, {
      timeoutMs: Math.max(1, Math.min(SETUP_MAX_MS, remainingMs())),
    });
    const output = tail([result.stdout, result.stderr].filter(Boolean).join("\n").trimEnd(), 2_000);
    audit.write({ type: "setup", command, exitCode: result.exitCode, durationMs: result.durationMs, output });
    if (result.exitCode !== 0 || result.timedOut) {
      const status = result.timedOut ? "timed out" : `exit code ${result.exitCode}`;
      failures.push(`\`${command}\` (${status}):\n\`\`\`\n${output}\n\`\`\``);
    }
  }
  return failures;
}
