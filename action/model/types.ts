/** The loop's view of a chat model: provider-neutral messages in, text and tool calls out. */
import type { ModelPrice } from "../../core/cost.ts";
import type { ChatMessage, ToolCall, ToolSpec } from "../chat/types.ts";

/** Runner-side model settings; never from the repository. */
export interface ModelSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  headers?: Record<string, string>;
  requestTimeoutMs?: number;
  contextWindow?: number;
  toolCalling?: "native" | "text" | "auto";
  /** `max_tokens` sent with each request; the client also stops a reply that runs past it. */
  maxTokens?: number;
  /** Stream replies (server-sent events); on by default, off again by itself where the server cannot. */
  stream?: boolean;
  /** Send reasoning back on tool-call turns: only for models whose documentation requires it. */
  resendReasoning?: boolean;
  /** The profile's price per million tokens, when the runner set one. */
  price?: ModelPrice;
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
