import type { AgentResult, AgentRunOptions } from "./agent/types.ts";

/**
 * The one place the action reaches the agent loop. TODO: import `runAgent` from
 * ./agent/run-agent.ts statically once that module lands (it is being built in parallel).
 */
export async function runAgentLoop(options: AgentRunOptions): Promise<AgentResult> {
  const path = "./agent/run-agent.ts";
  const loop = (await import(path)) as { runAgent?: (o: AgentRunOptions) => Promise<AgentResult> };
  if (!loop.runAgent)
    throw new Error("this build of the action has no agent loop (action/agent/run-agent.ts)");
  return loop.runAgent(options);
}
