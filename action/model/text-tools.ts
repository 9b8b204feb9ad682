/**
 * The text tool protocol for models without reliable function calling: the tools are described in
 * the system prompt, and calls are read back from the reply in any of the forms open-weight models
 * write (text-calls/; the list with sources is in docs/models.md). Reasoning never reaches here.
 */

import type { ToolCall, ToolSpec } from "../chat/types.ts";
import { findTextCalls, hasTextCall } from "./text-calls/find-calls.ts";
import type { ToolCallingMode } from "./types.ts";

const EXAMPLE = '{"name": "read_file", "arguments": {"path": "src/index.js"}}';

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
    EXAMPLE,
    "```",
    "You may write several blocks in one reply; they run in order. The results come back in the next message.",
    "",
    "## Tools",
    list,
  ].join("\n");
}

/** Sent once when a reply held no call and no finish, before such replies count towards `stuck`. */
export function formatReminder(mode: ToolCallingMode, tools: ToolSpec[]): string {
  const names = tools.map((tool) => tool.name).join(", ");
  if (mode === "native") {
    return `Your reply called no tool. Call one of the tools (${names}) through function calling, or call finish with a summary when the task is done.`;
  }
  return [
    `Your reply called no tool. Call one of the tools (${names}) by writing exactly this, with the tool's name and its arguments:`,
    "```tool",
    EXAMPLE,
    "```",
    'When the task is done, call finish the same way: {"name": "finish", "arguments": {"summary": "…"}}.',
  ].join("\n");
}

export interface ParsedTextCalls {
  calls: ToolCall[];
  /** One message per block that looked like a call but could not be read, worded for the model. */
  errors: string[];
}

export function looksLikeTextToolCall(content: string, tools: ToolSpec[]): boolean {
  return hasTextCall(content, tools);
}

export function parseTextToolCalls(content: string, idPrefix: string, tools: ToolSpec[]): ParsedTextCalls {
  const found = findTextCalls(content, tools);
  return {
    calls: found.calls.map((call, n) => ({
      id: `${idPrefix}_${n + 1}`,
      name: call.name,
      arguments: call.arguments,
    })),
    errors: found.errors.map(
      (error) => `${error} Write exactly one JSON object per block: ${EXAMPLE} inside a \`\`\`tool fence.`,
    ),
  };
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
