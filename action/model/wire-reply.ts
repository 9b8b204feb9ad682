/**
 * One assistant reply as it came off the wire, before the loop's view of it is built: the same
 * shape whether it was read from a JSON body or assembled from a stream.
 */

export interface WireToolCall {
  id?: string;
  name: string;
  /** JSON text; servers that send an object have it serialised here. */
  arguments: string;
}

export interface ServerUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

export interface WireReply {
  content: string;
  /** From `reasoning` / `reasoning_content`; `<think>` in the content is split off later. */
  reasoning: string;
  toolCalls: WireToolCall[];
  finishReason: string | null;
  usage?: ServerUsage;
  /** The client stopped reading because the reply passed its size cap. */
  capped: boolean;
}

/**
 * An error the server reported inside a 200 answer (a JSON body or a stream event with `error`),
 * as gateways do once the model has started (https://openrouter.ai/docs/errors).
 */
export class ModelBodyError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

/**
 * Arguments as JSON text. The OpenAI format is a string; some servers and gateways pass an
 * object through (Ollama's own API returns objects: https://github.com/ollama/ollama/blob/main/docs/api.md#chat-request-with-tools).
 */
export function argumentsAsText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

/** The error a body carries (`{"error": {...}}` or `{"error": "..."}`), or undefined. */
export function bodyError(body: unknown): ModelBodyError | undefined {
  const error = (body as { error?: unknown } | null)?.error;
  if (error === undefined || error === null) return undefined;
  if (typeof error === "string") return new ModelBodyError(error);
  const { message, code } = error as { message?: unknown; code?: unknown };
  const status = typeof code === "number" ? code : Number.isFinite(Number(code)) ? Number(code) : undefined;
  return new ModelBodyError(typeof message === "string" ? message : JSON.stringify(error), status);
}
