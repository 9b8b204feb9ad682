import type { RepoConfig } from "../../core/config.ts";
import type { Task } from "../../core/task.ts";
import type { McpServersConfig } from "./open-mcp-servers.ts";

/** The repository's MCP servers, plus an automation's own for an automation task (its win on a name clash). */
export function taskMcpServers(config: RepoConfig, task: Task): McpServersConfig {
  const automation = task.automation ? config.automations.tasks[task.automation] : undefined;
  return { ...config.mcp.servers, ...(automation?.mcp?.servers ?? {}) };
}
