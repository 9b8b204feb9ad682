/**
 * The chat vocabulary the agent loop, the model client, the text-call readers and the tools share:
 * provider-neutral messages, tool calls and tool specs. It imports nothing, so every folder that
 * speaks it can depend on it without depending on one another.
 */

export interface ToolCall {
  /** The server's id for native calls; `call_<turn>_<n>` for calls parsed from text. */
  id: string;
  name: string;
  /** Raw JSON text as the model wrote it; the tool registry parses and validates it. */
  arguments: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  /** `reasoning` is kept for the audit log and for the rare model that must be sent it back. */
  | { role: "assistant"; content: string; toolCalls: ToolCall[]; reasoning?: string }
  | { role: "tool"; toolCallId: string; name: string; content: string };

/** What the model is told about a tool: name, one-line purpose, JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}
