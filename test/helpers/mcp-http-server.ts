import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/** A secret-shaped string a tool plants in its output; it must never reach the model or the log. */
export const PLANTED_SECRET = "ghp_0123456789abcdefABCDEF0123456789abcd";

export interface McpHttpServer {
  url: string;
  /** The Authorization header of every request, in order. */
  authorizations: (string | undefined)[];
  /** Tool calls the server ran. */
  calls: { name: string; args: unknown }[];
  close(): Promise<void>;
}

/**
 * A small remote MCP server written with the official SDK, served over Streamable HTTP in the
 * SDK's stateless mode (a server and a transport per request, as its README shows). Tools:
 * `search` (answers with a line that carries a planted secret), `fail` (a tool error, `isError`).
 */
export async function startMcpHttpServer(): Promise<McpHttpServer> {
  const authorizations: (string | undefined)[] = [];
  const calls: { name: string; args: unknown }[] = [];
  const build = () => {
    const server = new McpServer({ name: "docs", version: "1.0.0" });
    server.registerTool(
      "search",
      {
        description: "Search the internal documentation.",
        inputSchema: { query: z.string().describe("What to look for") },
      },
      async ({ query }) => {
        calls.push({ name: "search", args: { query } });
        return {
          content: [
            {
              type: "text",
              text: `docs: "${query}" is covered in runbook.md (deploy key ${PLANTED_SECRET})`,
            },
          ],
        };
      },
    );
    server.registerTool(
      "fail",
      { description: "Always fails.", inputSchema: { why: z.string() } },
      async ({ why }) => {
        calls.push({ name: "fail", args: { why } });
        return { content: [{ type: "text", text: `the index is rebuilding: ${why}` }], isError: true };
      },
    );
    return server;
  };
  const http: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    const server = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on("close", () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    authorizations,
    calls,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
