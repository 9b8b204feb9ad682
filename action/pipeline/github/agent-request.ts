import type { AgentProgress } from "../../agent/types.ts";
import type { JobLog } from "../../job/job-log.ts";
import { openMcpServers } from "../../mcp/open-mcp-servers.ts";
import { taskMcpServers } from "../../mcp/task-mcp-servers.ts";
import type { Sandbox } from "../../sandbox/types.ts";
import type { AgentRequest } from "../run-agent-phase.ts";
import type { GitHubRun } from "./github-run.ts";
import type { Request } from "./read-request.ts";

/**
 * Each tool call in its own collapsible group of the job log, so a reviewer sees what the agent did
 * without downloading the audit artifact: redacted here, neutralised by the log (issue #13, item 2).
 */
function logToolCall(
  log: Required<JobLog>,
  call: Extract<AgentProgress, { phase: "tool" }>,
  redact: (text: string) => string,
): void {
  const args = call.arguments.length > 120 ? `${call.arguments.slice(0, 119)}…` : call.arguments;
  const seconds = (call.durationMs / 1000).toFixed(1);
  log.group(
    redact(`turn ${call.turn} · ${call.name} ${args} · ${call.ok ? "ok" : "error"} in ${seconds} s`),
    redact(call.output),
  );
}

/** The loop's progress in the status comment (turns, setup) and the job log (tool calls). */
function reportProgress(run: GitHubRun): (event: AgentProgress) => void {
  const { status } = run;
  return (event) => {
    if (event.phase === "turn") void status.turn(event.turn, event.maxTurns);
    else if (event.phase === "writing")
      void status.turn(event.turn, event.maxTurns, `the model is writing (${event.chars} characters so far)`);
    else if (event.phase === "setup") void status.phase(`provisioning: running setup \`${event.command}\``);
    else if (event.phase === "tool") logToolCall(run.deps.log, event, run.redact);
  };
}

/** The agent's run as the action asks for it: the runner's limits, the repository's MCP servers, every secret. */
export async function githubAgentRequest(
  run: GitHubRun,
  request: Request,
  sandbox: Sandbox,
): Promise<AgentRequest> {
  const { config, model, limits } = request;
  const mcpServers = taskMcpServers(config, run.task);
  const wantsMcp = Object.keys(mcpServers).length > 0;
  const remoteMcp = wantsMcp ? ((await run.deps.remoteMcpServers?.()) ?? {}) : {};
  const mcpSecrets = Object.values(remoteMcp).flatMap((server) => Object.values(server.headers));
  for (const secret of mcpSecrets) run.deps.mask(secret);
  const secrets = [...run.secrets.tokens, model.apiKey, ...mcpSecrets].filter(Boolean);
  return {
    runAgent: run.deps.runAgent,
    model,
    task: request.text,
    commands: { setup: config.commands.setup, test: config.commands.test, lint: config.commands.lint },
    limits: limits.agent,
    secrets,
    ...(wantsMcp
      ? {
          openMcp: (onEvent) =>
            openMcpServers({ servers: mcpServers, remote: remoteMcp, sandbox, secrets, onEvent }),
        }
      : {}),
    auditPath: run.auditPath,
    onProgress: reportProgress(run),
    network: limits.network,
  };
}
