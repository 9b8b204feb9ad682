/**
 * How the client talks to one server, settled once per run: native or text tool calls, streamed
 * or not, reasoning sent back or not. It starts from the profile and changes course, one thing at
 * a time, when the server refuses a request or the model writes its calls as text, and says so
 * through `onChange` each time.
 */
import type { ToolSpec } from "../chat/types.ts";
import { looksLikeTextToolCall, parseTextToolCalls } from "./text-tools.ts";
import type { ModelReply, ModelSettings, ToolCallingMode } from "./types.ts";

/** A 400 about the prompt's size is not fixed by changing how tools or streaming are offered. */
const CONTEXT_OVERFLOW = /context length|context window|maximum context|max_model_len|n_ctx|too long/i;
/** DeepSeek's thinking mode: "The `reasoning_content` in the thinking mode must be passed back to the API." */
const REASONING_DEMANDED = /reasoning_content.*(passed back|missing)|missing.*reasoning_content/i;

export type OnChange = (what: "text" | "no-stream" | "resend-reasoning", reason: string) => void;

export class Negotiation {
  mode: ToolCallingMode;
  streaming: boolean;
  resendReasoning: boolean;
  private readonly auto: boolean;
  private triedWithoutStreaming = false;
  private noStreamReason = "";

  constructor(
    private readonly settings: ModelSettings,
    private readonly onChange: OnChange = () => {},
  ) {
    this.auto = (settings.toolCalling ?? "auto") === "auto";
    this.mode = settings.toolCalling === "text" ? "text" : "native";
    this.streaming = settings.stream ?? true;
    this.resendReasoning = settings.resendReasoning ?? false;
  }

  /** The server answered a streaming request with a plain JSON body: stop asking for streams. */
  streamIgnored(): void {
    this.streaming = false;
    this.noStreamReason = "the server answered a streaming request with a plain JSON body";
  }

  /** Says once that streaming is off, when a call that began with it on ended with it off. */
  reportStreamChange(streamingBefore: boolean): void {
    if (streamingBefore && !this.streaming) this.onChange("no-stream", this.noStreamReason);
  }

  /** After a 400/422: change one thing the server may have refused, or answer false when nothing is left. */
  adaptTo(error: unknown, tools: ToolSpec[]): boolean {
    const message = (error as Error).message;
    if (CONTEXT_OVERFLOW.test(message)) return false;
    if (REASONING_DEMANDED.test(message) && !this.resendReasoning) {
      this.resendReasoning = true;
      this.onChange("resend-reasoning", `the server requires reasoning to be sent back: ${message}`);
      return true;
    }
    const aboutTools = /tool/i.test(message) && !/stream/i.test(message);
    if (this.streaming && !this.triedWithoutStreaming && !aboutTools) {
      this.streaming = false;
      this.triedWithoutStreaming = true;
      this.noStreamReason = `the server refused a streaming request: ${message}`;
      return true;
    }
    if (this.auto && this.mode === "native" && tools.length > 0) {
      // Streaming was not what the server refused: keep it for the text protocol.
      if (this.triedWithoutStreaming) this.streaming = this.settings.stream ?? true;
      this.mode = "text";
      this.onChange("text", `the server rejected native tools: ${message}`);
      return true;
    }
    return false;
  }

  /** Local models often write calls as text even when offered native tools: read them, and stay in text. */
  readCallsWrittenAsText(reply: ModelReply, tools: ToolSpec[], idPrefix: string): ModelReply {
    if (!this.auto || this.mode !== "native" || reply.toolCalls.length > 0) return reply;
    if (!looksLikeTextToolCall(reply.content, tools)) return reply;
    this.mode = "text";
    this.onChange("text", "the model wrote its tool calls as text");
    const parsed = parseTextToolCalls(reply.content, idPrefix, tools);
    return { ...reply, toolCalls: parsed.calls, protocolErrors: parsed.errors, mode: "text" };
  }
}
