import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** What an MCP tool result says, as text for the model: text items as they are, others named. */
export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((item) => {
    switch (item.type) {
      case "text":
        return item.text;
      case "resource":
        return "text" in item.resource ? String(item.resource.text) : `[resource ${item.resource.uri}]`;
      case "resource_link":
        return `[resource ${item.uri}]`;
      default:
        return `[${item.type} content left out]`;
    }
  });
  if (parts.length === 0 && result.structuredContent) return JSON.stringify(result.structuredContent);
  return parts.join("\n");
}
