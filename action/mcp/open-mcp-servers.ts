import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import type { RepoConfig } from "../../core/config.ts";
import { createRedactor } from "../../core/redact.ts";
import type { Sandbox } from "../sandbox/types.ts";
import type { Tool } from "../tools/types.ts";
import { type LiveServer, serverTools } from "./mcp-server-tools.ts";
import type { RemoteServers } from "./remote-servers.ts";
import { SandboxStdioTransport } from "./sandbox-transport.ts";

/** Connecting and listing one server's tools; a server slower than this is left out. */
const CONNECT_TIMEOUT_MS = 30_000;
const MAX_TOOLS_PER_SERVER = 100;
const CLOSE_TIMEOUT_MS = 5_000;

export type McpServersConfig = RepoConfig["mcp"]["servers"];

/** What happened to a server, for the run's audit log. */
export type McpServerEvent =
  | { type: "mcp_server"; server: string; kind: "stdio" | "remote"; tools: string[] }
  | { type: "mcp_server_failed" | "mcp_server_ended"; server: string; message: string };

export interface McpToolset {
  tools: Tool[];
  /** Servers that could not start or were refused, one sentence each, for the model and the audit log. */
  problems: string[];
  /** Every server ends here, at task end, whatever state it is in. */
  close(): Promise<void>;
}

export interface OpenMcpOptions {
  servers: McpServersConfig;
  /** What the runner's administrator allows; a repository can only name these. */
  remote: RemoteServers;
  sandbox: Sandbox;
  /** Every secret the run knows (remote servers' header values included): redacted from every result. */
  secrets: string[];
  onEvent?: (event: McpServerEvent) => void;
}

function transportFor(server: McpServersConfig[string], options: OpenMcpOptions): Transport {
  if (server.remote !== undefined) {
    const allowed = options.remote[server.remote];
    if (!allowed) {
      const names = Object.keys(options.remote);
      throw new Error(
        `remote server "${server.remote}" is not one the runner allows (${names.length ? names.join(", ") : "none are configured: mcp-servers-file"})`,
      );
    }
    // Remote servers are called from the action process, never from the sandbox.
    return new StreamableHTTPClientTransport(new URL(allowed.url), {
      requestInit: { headers: allowed.headers },
    });
  }
  return new SandboxStdioTransport(options.sandbox, server.command!, server.env ?? {});
}

function endedMessage(name: string, transport: Transport): string {
  const stdio = transport instanceof SandboxStdioTransport ? transport : undefined;
  const exit =
    stdio?.exitCode !== undefined && stdio.exitCode !== null ? ` with exit code ${stdio.exitCode}` : "";
  const stderr = stdio?.stderrTail ? ` (its last output: ${stdio.stderrTail.slice(-300)})` : "";
  return `The MCP server ${name} ended${exit}${stderr}; its tools are no longer available for this task. Carry on without them.`;
}

async function listAll(client: Client): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: CONNECT_TIMEOUT_MS });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && tools.length < MAX_TOOLS_PER_SERVER);
  return tools.slice(0, MAX_TOOLS_PER_SERVER);
}

/**
 * Starts the task's MCP servers (stdio ones inside the sandbox, allowed remote ones from this
 * process), lists their tools for the model, and returns one `close()` that ends them all.
 */
export async function openMcpServers(options: OpenMcpOptions): Promise<McpToolset> {
  const redact = createRedactor([
    ...options.secrets,
    ...Object.values(options.remote).flatMap((s) => Object.values(s.headers)),
  ]);
  const live: { server: LiveServer; transport: Transport }[] = [];
  const tools: Tool[] = [];
  const problems: string[] = [];
  const taken = new Set<string>();
  for (const [name, config] of Object.entries(options.servers)) {
    let transport: Transport | undefined;
    const client = new Client({ name: "inhouse", version: "1" });
    try {
      transport = transportFor(config, options);
      const server: LiveServer = { name, client };
      const t = transport;
      client.onclose = () => {
        server.ended ??= endedMessage(name, t);
        options.onEvent?.({ type: "mcp_server_ended", server: name, message: server.ended });
      };
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
      const listed = await listAll(client);
      tools.push(...serverTools(server, listed, taken, redact));
      live.push({ server, transport });
      options.onEvent?.({
        type: "mcp_server",
        server: name,
        kind: config.remote ? ("remote" as const) : ("stdio" as const),
        tools: listed.map((t) => t.name),
      });
    } catch (error) {
      const problem = `MCP server ${name} could not start: ${redact((error as Error).message)}`;
      problems.push(problem);
      options.onEvent?.({ type: "mcp_server_failed", server: name, message: problem });
      await client.close().catch(() => undefined);
    }
  }
  return {
    tools,
    problems,
    close: async () => {
      await Promise.all(
        live.map(({ server }) =>
          Promise.race([
            server.client.close().catch(() => undefined),
            new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
          ]),
        ),
      );
    },
  };
}
