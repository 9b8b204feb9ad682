/**
 * The model client: one OpenAI-compatible endpoint through the `openai` package, with our retry
 * layer (the package's own retries are off so they do not stack) and the tool-calling mode.
 */
import OpenAI from "openai";
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from "openai/resources/chat/completions";
import type { ModelSettings } from "../agent/types.ts";
import { withRetry } from "../retry.ts";
import {
  explainModelError,
  isRetryableModelError,
  isToolsRejected,
  modelRetryAfterMs,
} from "./model-errors.ts";
import { renderMessages, renderTools } from "./render-messages.ts";
import { looksLikeTextToolCall, parseTextToolCalls } from "./text-tools.ts";
import type { ChatMessage, ModelClient, ModelReply, ToolCall, ToolCallingMode, ToolSpec } from "./types.ts";
import { usageFrom } from "./usage.ts";

export const MODEL_ATTEMPTS = 3;

export interface ModelClientHooks {
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Called once when `auto` gives up on native function calling, with the reason. */
  onModeChange?: (mode: ToolCallingMode, reason: string) => void;
  /** First retry backoff; tests shorten it. */
  retryBaseDelayMs?: number;
}

export function createModelClient(settings: ModelSettings, hooks: ModelClientHooks = {}): ModelClient {
  // The size of what was really sent, read off the wire: serialising 100 KB bodies a second time
  // just to measure them would cost more than the rest of a turn.
  let sentBodyChars = 0;
  const measuringFetch: typeof fetch = (input, init) => {
    sentBodyChars = typeof init?.body === "string" ? init.body.length : 0;
    return fetch(input, init);
  };
  const openai = new OpenAI({
    fetch: measuringFetch,
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey || "no-key",
    defaultHeaders: settings.headers,
    timeout: settings.requestTimeoutMs ?? 300_000,
    maxRetries: 0,
  });
  const auto = (settings.toolCalling ?? "auto") === "auto";
  let mode: ToolCallingMode = settings.toolCalling === "text" ? "text" : "native";
  let requestCount = 0;

  const switchToText = (reason: string) => {
    mode = "text";
    hooks.onModeChange?.("text", reason);
  };

  async function request(
    messages: ChatMessage[],
    tools: ToolSpec[],
    requestMode: ToolCallingMode,
    signal?: AbortSignal,
  ): Promise<ModelReply> {
    // Tools before messages: the body then grows only at its end, turn after turn, like the prompt
    // the server renders from it (chat templates put tools first).
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: settings.model,
      ...(requestMode === "native" && tools.length > 0 ? { tools: renderTools(tools) } : {}),
      messages: renderMessages(messages, tools, requestMode),
    };
    const started = performance.now();
    let attempts = 0;
    const completion: ChatCompletion = await withRetry(
      (attempt) => {
        attempts = attempt;
        return openai.chat.completions.create(body, { signal });
      },
      {
        attempts: MODEL_ATTEMPTS,
        baseDelayMs: hooks.retryBaseDelayMs ?? 1_000,
        isRetryable: isRetryableModelError,
        retryAfterMs: modelRetryAfterMs,
        onRetry: hooks.onRetry,
        signal,
      },
    ).catch((error: unknown) => {
      // A 400 to a request with tools is handled by the caller (auto mode); keep it as it is.
      if (isToolsRejected(error)) throw error;
      throw explainModelError(error, settings.baseUrl, settings.model, attempts);
    });
    const requestChars = sentBodyChars;
    const message = completion.choices[0]?.message;
    const content = message?.content ?? "";
    const native: ToolCall[] = (message?.tool_calls ?? []).flatMap((call) =>
      call.type === "function"
        ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
        : [],
    );
    const parsed =
      requestMode === "text"
        ? parseTextToolCalls(content, `call_${requestCount}`)
        : { calls: [], errors: [] };
    const replyChars =
      content.length + native.reduce((n, call) => n + call.name.length + call.arguments.length, 0);
    return {
      content,
      toolCalls: requestMode === "text" ? parsed.calls : native,
      protocolErrors: parsed.errors,
      usage: usageFrom(completion.usage, requestChars, replyChars),
      latencyMs: performance.now() - started,
      requestChars,
      mode: requestMode,
      finishReason: completion.choices[0]?.finish_reason ?? null,
      attempts,
    };
  }

  async function completeWith(
    messages: ChatMessage[],
    tools: ToolSpec[],
    signal: AbortSignal,
  ): Promise<ModelReply> {
    let reply: ModelReply;
    try {
      reply = await request(messages, tools, mode, signal);
    } catch (error) {
      if (!(auto && mode === "native" && tools.length > 0 && isToolsRejected(error))) {
        throw isToolsRejected(error) ? explainModelError(error, settings.baseUrl, settings.model, 1) : error;
      }
      switchToText(`the server rejected native tools: ${(error as Error).message}`);
      return request(messages, tools, mode, signal);
    }
    // Local models often write calls as text even when offered native tools; read them and stay in text.
    if (auto && mode === "native" && reply.toolCalls.length === 0 && looksLikeTextToolCall(reply.content)) {
      switchToText("the model wrote its tool calls as text");
      const parsed = parseTextToolCalls(reply.content, `call_${requestCount}`);
      return { ...reply, toolCalls: parsed.calls, protocolErrors: parsed.errors, mode: "text" };
    }
    return reply;
  }

  return {
    get mode() {
      return mode;
    },
    async complete(messages, tools, signal) {
      requestCount++;
      // One short-lived signal per call: the `openai` client leaves its abort listener on the signal
      // it is given, and the run's budget signal lives for hundreds of calls.
      const call = new AbortController();
      const forwardAbort = () => call.abort(signal?.reason);
      if (signal?.aborted) call.abort(signal.reason);
      signal?.addEventListener("abort", forwardAbort, { once: true });
      try {
        return await completeWith(messages, tools, call.signal);
      } finally {
        signal?.removeEventListener("abort", forwardAbort);
      }
    },
  };
}
