import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { AgentProgress, AgentResult, AgentRunOptions } from "../agent/types.ts";
import type { Sandbox } from "../sandbox/types.ts";
import type { TaskRun } from "./task-run.ts";

export interface AgentRequest extends Omit<AgentRunOptions, "sandbox" | "signal" | "onProgress"> {
  runAgent(options: AgentRunOptions): Promise<AgentResult>;
  auditPath: string;
  /** Every event but `verifying`, which starts the verifying phase (`TaskRun.enter`). */
  onProgress?(event: AgentProgress): void;
}

/**
 * The agent loop in the task's sandbox, at most `turns` turns; its verification starts the
 * `verifying` phase. The request is made once the phase has started (the action reads the runner's
 * MCP servers then), so a failure there is reported as one while working.
 */
export async function runTaskAgent(
  run: TaskRun,
  sandbox: Sandbox,
  turns: number,
  prepare: () => Promise<AgentRequest>,
): Promise<AgentResult> {
  run.enter("working", `turn 1 of ${turns}`);
  const request = await prepare();
  const { runAgent, onProgress, ...options } = request;
  await mkdir(dirname(request.auditPath), { recursive: true });
  run.result = await runAgent({
    ...options,
    sandbox,
    onProgress: (event) => {
      if (event.phase === "verifying") run.enter("verifying", event.command);
      onProgress?.(event);
    },
    signal: run.signal,
  });
  return run.result;
}
