/**
 * The model client: one OpenAI-compatible endpoint through the `openai` package, with our retry
 * layer (the package's own retries are off so they do not stack). It settles, once per run, how to
 * talk to the server: native or text tool calls, streamed or not, reasoning sent back or not,
 * changing course when the server refuses something, and saying so through `onModeChange`.
 */
import OpenAI from "openai";
import type { ChatMessage, ToolSpec } from "../chat/types.ts";
import { buildReply } from "./build-reply.ts";
import { explainModelError, isRequestRejected, ModelError } from "./model-errors.ts";
import { detectPromptTruncation, PromptTruncatedError } from "./prompt-truncation.ts";
import { requestBody } from "./request-body.ts";
import { sendRequest } from "./send-request.ts";
import { looksLikeTextToolCall, parseTextToolCalls } from "./text-tools.ts";
import type { CompleteOptions, ModelClient, ModelReply, ModelSettings, ToolCallingMode } from "./types.ts";
import { usageFrom } from "./usage.ts";

export const MODEL_ATTEMPTS = 3;
/** Reply cap when the profile sets no maxTokens: stops a server that ignores the limit from running on. */
export const DEFAULT_REPLY_TOKENS = 32_768;

export interface ModelClientHooks {
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Called when the client changes how it talks to the server (`text`, `no-stream`, `resend-reasoning`), with the reason. */
  onModeChange?: (mode: string, reason: string) => void;
  /** First retry backoff; tests shorten it. */
  retryBaseDelayMs?: number;
}

/** A 400 about the prompt's size is not fixed by changing how tools or streaming are offered. */
const CONTEXT_OVERFLOW = /context length|context window|maximum context|max_model_len|n_ctx|too long/i;
/** DeepSeek's thinking mode: "The `reasoning_content` in the thinking mode must be passed back to the API." */
const REASONING_DEMANDED = /reasoning_content.*(passed back|missing)|missing.*reasoning_content/i;

/** Counts the bytes a response body delivers, so a silent stream can be told from a slow one. */
function trackBytes(response: Response, touch: () => void): Response {
  if (!response.body) return response;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        touch();
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

export function createModelClient(settings: ModelSettings, hooks: ModelClientHooks = {}): ModelClient {
  // The size of what was really sent, read off the wire: serialising 100 KB bodies a second time
  // just to measure them would cost more than the rest of a turn.
  let sentBodyChars = 0;
  let lastByteAt = 0;
  const trackingFetch: typeof fetch = async (input, init) => {
    sentBodyChars = typeof init?.body === "string" ? init.body.length : 0;
    return trackBytes(await fetch(input, init), () => (lastByteAt = performance.now()));
  };
  const timeoutMs = settings.requestTimeoutMs ?? 300_000;
  const openai = new OpenAI({
    fetch: trackingFetch,
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey || "no-key",
    defaultHeaders: settings.headers,
    timeout: timeoutMs,
    maxRetries: 0,
  });
  const transport = { openai, lastByteAt: () => lastByteAt };
  const auto = (settings.toolCalling ?? "auto") === "auto";
  let mode: ToolCallingMode = settings.toolCalling === "text" ? "text" : "native";
  let streaming = settings.stream ?? true;
  let resendReasoning = settings.resendReasoning ?? false;
  let triedWithoutStreaming = false;
  let noStreamReason = "";
  let requestCount = 0;

  const change = (what: string, reason: string) => hooks.onModeChange?.(what, reason);

  async function request(
    messages: ChatMessage[],
    tools: ToolSpec[],
    signal: AbortSignal,
    options: CompleteOptions,
  ) {
    const body = requestBody(settings, messages, tools, { mode, stream: streaming, resendReasoning });
    const capTokens = settings.maxTokens ?? DEFAULT_REPLY_TOKENS;
    const started = performance.now();
    const sent = await sendRequest(transport, body, {
      signal,
      idleTimeoutMs: timeoutMs,
      maxReplyChars: Math.min(capTokens * 5, (options.maxReplyTokens ?? Number.POSITIVE_INFINITY) * 4),
      attempts: MODEL_ATTEMPTS,
      retryBaseDelayMs: hooks.retryBaseDelayMs ?? 1_000,
      onRetry: hooks.onRetry,
      onText: options.onText,
    });
    if (sent.streamIgnored) {
      streaming = false;
      noStreamReason = "the server answered a streaming request with a plain JSON body";
    }
    const read = buildReply(sent.wire, mode, tools, requestCount);
    const replyChars =
      sent.wire.content.length +
      sent.wire.reasoning.length +
      sent.wire.toolCalls.reduce((n, call) => n + call.name.length + call.arguments.length, 0);
    const reply: ModelReply = {
      ...read,
      usage: usageFrom(sent.wire.usage, sentBodyChars, replyChars),
      latencyMs: performance.now() - started,
      requestChars: sentBodyChars,
      mode,
      finishReason: sent.wire.finishReason,
      attempts: sent.attempts,
      streamed: Boolean(body.stream) && !sent.streamIgnored,
      capped: sent.wire.capped,
    };
    const truncated = detectPromptTruncation(
      reply.requestChars,
      reply.usage.estimated ? undefined : reply.usage.prompt,
    );
    if (truncated) throw new PromptTruncatedError(truncated);
    return reply;
  }

  /** After a 400/422: change one thing the server may have refused, or answer false when nothing is left. */
  function adaptTo(error: unknown, tools: ToolSpec[]): boolean {
    const message = (error as Error).message;
    if (CONTEXT_OVERFLOW.test(message)) return false;
    if (REASONING_DEMANDED.test(message) && !resendReasoning) {
      resendReasoning = true;
      change("resend-reasoning", `the server requires reasoning to be sent back: ${message}`);
      return true;
    }
    const aboutTools = /tool/i.test(message) && !/stream/i.test(message);
    if (streaming && !triedWithoutStreaming && !aboutTools) {
      streaming = false;
      triedWithoutStreaming = true;
      noStreamReason = `the server refused a streaming request: ${message}`;
      return true;
    }
    if (auto && mode === "native" && tools.length > 0) {
      // Streaming was not what the server refused: keep it for the text protocol.
      if (triedWithoutStreaming) streaming = settings.stream ?? true;
      mode = "text";
      change("text", `the server rejected native tools: ${message}`);
      return true;
    }
    return false;
  }

  async function completeWith(
    messages: ChatMessage[],
    tools: ToolSpec[],
    signal: AbortSignal,
    options: CompleteOptions,
  ) {
    const streamingBefore = streaming;
    for (;;) {
      try {
        const reply = await request(messages, tools, signal, options);
        if (streamingBefore && !streaming) change("no-stream", noStreamReason);
        return reply;
      } catch (error) {
        if (error instanceof PromptTruncatedError) throw new ModelError(error.message);
        if (!isRequestRejected(error) || !adaptTo(error, tools)) {
          throw explainModelError(
            error,
            settings.baseUrl,
            settings.model,
            (error as { attempts?: number }).attempts ?? 1,
          );
        }
      }
    }
  }

  return {
    get mode() {
      return mode;
    },
    async complete(messages, tools, signal, options = {}) {
      requestCount++;
      // One short-lived signal per call: the `openai` client leaves its abort listener on the signal
      // it is given, and the run's budget signal lives for hundreds of calls.
      const call = new AbortController();
      const forwardAbort = () => call.abort(signal?.reason);
      if (signal?.aborted) call.abort(signal.reason);
      signal?.addEventListener("abort", forwardAbort, { once: true });
      try {
        const reply = await completeWith(messages, tools, call.signal, options);
        // Local models often write calls as text even when offered native tools; read them and stay in text.
        if (
          auto &&
          mode === "native" &&
          reply.toolCalls.length === 0 &&
          looksLikeTextToolCall(reply.content, tools)
        ) {
          mode = "text";
          change("text", "the model wrote its tool calls as text");
          const parsed = parseTextToolCalls(reply.content, `call_${requestCount}`, tools);
          return { ...reply, toolCalls: parsed.calls, protocolErrors: parsed.errors, mode: "text" };
        }
        return reply;
      } finally {
        signal?.removeEventListener("abort", forwardAbort);
      }
    },
  };
}
