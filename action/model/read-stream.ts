/**
 * Assembles a streamed chat completion (server-sent events, already parsed into chunks by the
 * `openai` client) into a WireReply. Deltas follow the OpenAI stream format
 * (https://platform.openai.com/docs/api-reference/chat-streaming): content pieces, tool calls
 * by `index` with `arguments` in pieces, `finish_reason` in the last choice chunk, and `usage` in
 * a final chunk when `stream_options.include_usage` was asked for.
 */
import { StreamCutError } from "./stream-errors.ts";
import { argumentsAsText, bodyError, type WireReply, type WireToolCall } from "./wire-reply.ts";

interface ChunkToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: unknown };
}

interface Chunk {
  choices?: Array<{
    delta?: {
      content?: string | null;
      reasoning?: string | null;
      reasoning_content?: string | null;
      tool_calls?: ChunkToolCall[];
    };
    finish_reason?: string | null;
  }>;
  usage?: WireReply["usage"] | null;
}

export interface StreamReadOptions {
  /** Stop reading (and so generating) past this many characters of reply, reasoning included. */
  maxChars: number;
  /** Characters received so far, called as they arrive. */
  onText?: (chars: number) => void;
}

function mergeCall(calls: WireToolCall[], delta: ChunkToolCall): number {
  const index = delta.index ?? (delta.function?.name ? calls.length : Math.max(0, calls.length - 1));
  calls[index] ??= { name: "", arguments: "" };
  const call = calls[index];
  if (delta.id) call.id = delta.id;
  if (delta.function?.name) call.name += delta.function.name;
  const args = delta.function?.arguments;
  if (typeof args === "string") call.arguments += args;
  else if (args !== undefined && args !== null) call.arguments = argumentsAsText(args);
  return (delta.function?.name?.length ?? 0) + (typeof args === "string" ? args.length : 0);
}

export async function readStream(
  chunks: AsyncIterable<unknown>,
  options: StreamReadOptions,
): Promise<WireReply> {
  const reply: WireReply = { content: "", reasoning: "", toolCalls: [], finishReason: null, capped: false };
  let chars = 0;
  for await (const raw of chunks) {
    const error = bodyError(raw);
    if (error) throw error;
    const chunk = raw as Chunk;
    if (chunk.usage) reply.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) continue;
    const delta = choice.delta ?? {};
    const piece = delta.content ?? "";
    const thought = (delta.reasoning_content ?? "") + (delta.reasoning ?? "");
    reply.content += piece;
    reply.reasoning += thought;
    const before = chars;
    chars += piece.length + thought.length;
    for (const call of delta.tool_calls ?? []) chars += mergeCall(reply.toolCalls, call);
    if (choice.finish_reason) reply.finishReason = choice.finish_reason;
    if (chars > before) options.onText?.(chars);
    if (chars > options.maxChars && !reply.finishReason) {
      // Leaving the loop makes the client abort the request, so the server stops generating.
      reply.capped = true;
      reply.finishReason = "length";
      break;
    }
  }
  if (!reply.finishReason) throw new StreamCutError(`ended after ${chars} characters`);
  reply.toolCalls = reply.toolCalls.filter((call) => call.name !== "");
  return reply;
}
