/** The loop's view of a chat model: provider-neutral messages in, text and tool calls out. */

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

export interface TokenUsage {
  prompt: number;
  completion: number;
  total: number;
  /** True when the server sent no usage and the numbers are chars/4 estimates. */
  estimated: boolean;
}

export type ToolCallingMode = "native" | "text";

export interface ModelReply {
  /** The reply text with any reasoning removed. */
  content: string;
  /** The model's reasoning (reasoning fields and `<think>` blocks): audit log only, never acted on. */
  reasoning: string;
  toolCalls: ToolCall[];
  /** Text-mode blocks that looked like calls but could not be read, worded for the model. */
  protocolErrors: string[];
  usage: TokenUsage;
  latencyMs: number;
  /** Characters of the serialised request body, for the audit log and the prefix benchmark. */
  requestChars: number;
  /** How tools were offered for this request; `auto` settles on one of these. */
  mode: ToolCallingMode;
  finishReason: string | null;
  /** Tries it took, retries included. */
  attempts: number;
  /** True when the reply came as a server-sent event stream. */
  streamed: boolean;
  /** True when the client stopped the reply at its size cap (a server ignoring max_tokens, or the token budget). */
  capped: boolean;
}

export interface CompleteOptions {
  /** Characters of reply received so far, as a stream arrives (for "the model is writing"). */
  onText?: (chars: number) => void;
  /** Stop the reply (mid-stream) past this many tokens: what is left of the run's token budget. */
  maxReplyTokens?: number;
}

export interface ModelClient {
  readonly mode: ToolCallingMode;
  complete(
    messages: ChatMessage[],
    tools: ToolSpec[],
    signal?: AbortSignal,
    options?: CompleteOptions,
  ): Promise<ModelReply>;
}
