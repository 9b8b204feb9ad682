/**
 * The text tool protocol for models without reliable function calling: the tools are described in
 * the system prompt and calls are parsed from the reply, either as a fenced ```tool block or as a
 * <tool_call> element (the form many local chat templates already emit).
 */
import type { ToolCall, ToolSpec } from "./types.ts";

const FENCED = /```tool[^\S\n]*\n([\s\S]*?)```/g;
const TAGGED = /<tool_call>([\s\S]*?)<\/tool_call>/g;

export function describeToolsAsText(tools: ToolSpec[]): string {
  const list = tools
    .map(
      (tool) =>
        `### ${tool.name}\n${tool.description}\nArguments (JSON Schema): ${JSON.stringify(tool.parameters)}`,
    )
    .join("\n\n");
  return [
    "## How to call tools",
    "Call a tool by writing a fenced block tagged `tool` holding one JSON object with `name` and `arguments`:",
    "```tool",
    '{"name": "read_file", "arguments": {"path": "src/index.js"}}',
    "```",
    "You may write several blocks in one reply; they run in order. The results come back in the next message.",
    "",
    "## Tools",
    list,
  ].join("\n");
}

export interface ParsedTextCalls {
  calls: ToolCall[];
  /** One message per block that looked like a call but could not be read, worded for the model. */
  errors: string[];
}

export function looksLikeTextToolCall(content: string): boolean {
  return content.includes("```tool") || content.includes("<tool_call>");
}

export function parseTextToolCalls(content: string, idPrefix: string): ParsedTextCalls {
  const blocks = [...content.matchAll(FENCED), ...content.matchAll(TAGGED)]
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((match) => match[1]!.trim());
  const calls: ToolCall[] = [];
  const errors: string[] = [];
  for (const block of blocks) {
    let value: unknown;
    try {
      value = JSON.parse(block);
    } catch (error) {
      errors.push(
        `A tool block is not valid JSON (${(error as Error).message}): ${block.slice(0, 200)}. ` +
          'Write exactly one JSON object: {"name": "<tool>", "arguments": {...}}.',
      );
      continue;
    }
    const call = value as { name?: unknown; arguments?: unknown; parameters?: unknown };
    if (typeof call !== "object" || call === null || typeof call.name !== "string") {
      errors.push(
        `A tool block has no "name": ${block.slice(0, 200)}. Write {"name": "<tool>", "arguments": {...}}.`,
      );
      continue;
    }
    const args = call.arguments ?? call.parameters ?? {};
    calls.push({
      id: `${idPrefix}_${calls.length + 1}`,
      name: call.name,
      arguments: typeof args === "string" ? args : JSON.stringify(args),
    });
  }
  return { calls, errors };
}

/** How a call the model made natively is shown when the conversation is replayed in text mode. */
export function renderTextToolCall(call: ToolCall): string {
  let args: unknown = call.arguments;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    // Malformed arguments are replayed as the string the model wrote.
  }
  return `\`\`\`tool\n${JSON.stringify({ name: call.name, arguments: args })}\n\`\`\``;
}
