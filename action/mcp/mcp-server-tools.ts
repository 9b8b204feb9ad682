import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { removeInvisibleCharacters } from "../../core/invisible-characters.ts";
import type { Redactor } from "../../core/redact.ts";
import { ToolError } from "../tools/tool-error.ts";
import type { Tool } from "../tools/types.ts";
import { resultText } from "./result-text.ts";
import { mcpToolName } from "./tool-names.ts";

/** One MCP call never outlasts this, whatever time the budget has left. */
export const MCP_CALL_TIMEOUT_MS = 120_000;
const MAX_DESCRIPTION = 1_000;

/** A connected server: whether it still runs, and what to say when it no longer does. */
export interface LiveServer {
  name: string;
  client: Client;
  ended?: string;
}

/**
 * The model's tools for one server's MCP tools: named `<server>__<tool>`, offered with the
 * server's JSON schema. A result is cleaned (invisible characters) and redacted before the loop
 * caps it and writes it to the audit log; an MCP error, a tool's `isError` result or a dead server
 * comes back to the model as a recoverable tool error.
 */
export function serverTools(
  server: LiveServer,
  listed: McpTool[],
  taken: Set<string>,
  redact: Redactor,
): Tool[] {
  const clean = (text: string) => redact(removeInvisibleCharacters(text));
  return listed.map((tool) => {
    const name = mcpToolName(server.name, tool.name, taken);
    const description = clean(tool.description ?? "").slice(0, MAX_DESCRIPTION);
    return {
      name,
      description: `[MCP server ${server.name}] ${description || tool.name}`,
      schema: z.record(z.string(), z.unknown()),
      parameters: tool.inputSchema as Record<string, unknown>,
      writes: false,
      async run(args: Record<string, unknown>, context) {
        if (server.ended) throw new ToolError(server.ended);
        let result: Awaited<ReturnType<Client["callTool"]>>;
        try {
          result = await server.client.callTool({ name: tool.name, arguments: args }, undefined, {
            timeout: Math.max(1, Math.min(context.maxCommandMs, MCP_CALL_TIMEOUT_MS)),
          });
        } catch (error) {
          if (server.ended) throw new ToolError(server.ended);
          throw new ToolError(
            `MCP server ${server.name} answered ${tool.name} with an error: ${clean((error as Error).message)}`,
          );
        }
        const text = clean(resultText(result as Parameters<typeof resultText>[0]));
        if (result.isError) throw new ToolError(`${tool.name} reported an error: ${text || "(no message)"}`);
        return { output: text || "(the tool returned nothing)", label: name };
      },
    } as Tool;
  });
}
