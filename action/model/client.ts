/**
 * The model client: one OpenAI-compatible endpoint through the `openai` package, with our retry
 * layer (the package's own retries are off so they do not stack). How to talk to the server
 * (native or text tool calls, streamed or not, reasoning sent back or not) is settled in
 * negotiation.ts; this file sends one request, turns the answer into a reply, and tries again
 * after a refusal the negotiation could adapt to.
 */
import OpenAI from "openai";
import type { ChatMessage, ToolSpec } from "../chat/types.ts";
import { buildReply } from "./build-reply.ts";
import { explainModelError, isRequestRejected, ModelError } from "./model-errors.ts";
import { Negotiation } from "./negotiation.ts";
import { detectPromptTruncation, PromptTruncatedError } from "./prompt-truncation.ts";
import { requestBody } from "./request-body.ts";
import { sendRequest, type Transport } from "./send-request.ts";
import type { CompleteOptions, ModelClient, ModelReply, ModelSettings } from "./types.ts";
import { usageFrom } from "./usage.ts";

export const MODEL_ATTEMPTS = 3;
/** Reply cap when the profile sets no maxTokens: stops a server that ignores the limit from running on. */
export const DEFAULT_REPLY_TOKENS = 32_768;
const DEFAULT_TIMEOUT_MS = 300_000;

export interface ModelClientHooks {
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Called when the client changes how it talks to the server (`text`, `no-stream`, `resend-reasoning`), with the reason. */
  onModeChange?: (mode: string, reason: string) => void;
  /** First retry backoff; tests shorten it. */
  retryBaseDelayMs?: number;
}

/** The `openai` client over a fetch that measures what it sent and when the last byte came back. */
interface MeteredTransport extends Transport {
  /** Characters of the last request body, read off the wire. */
  sentBodyChars(): number;
}

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

function openTransport(settings: ModelSettings): MeteredTransport {
  // The size of what was really sent, read off the wire: serialising 100 KB bodies a second time
  // just to measure them would cost more than the rest of a turn.
  let sentBodyChars = 0;
  let lastByteAt = 0;
  const trackingFetch: typeof fetch = async (input, init) => {
    sentBodyChars = typeof init?.body === "string" ? init.body.length : 0;
    return trackBytes(await fetch(input, init), () => (lastByteAt = performance.now()));
  };
  const openai = new OpenAI({
    fetch: trackingFetch,
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey || "no-key",
    defaultHeaders: settings.headers,
    timeout: settings.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: 0,
  });
  return { openai, lastByteAt: () => lastByteAt, sentBodyChars: () => sentBodyChars };
}

interface Connection {
  settings: ModelSettings;
  hooks: ModelClientHooks;
  transport: MeteredTransport;
  negotiation: Negotiation;
}

/** One request as the negotiation stands, retried on transient errors, read into a reply. */
async function requestOnce(
  { settings, hooks, transport, negotiation }: Connection,
  messages: ChatMessage[],
  tools: ToolSpec[],
  signal: AbortSignal,
  options: CompleteOptions & { requestNumber: number },
): Promise<ModelReply> {
  const { mode, streaming, resendReasoning } = negotiation;
  const body = requestBody(settings, messages, tools, { mode, stream: streaming, resendReasoning });
  const capTokens = settings.maxTokens ?? DEFAULT_REPLY_TOKENS;
  const started = performance.now();
  const sent = await sendRequest(transport, body, {
    signal,
    idleTimeoutMs: settings.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxReplyChars: Math.min(capTokens * 5, (options.maxReplyTokens ?? Number.POSITIVE_INFINITY) * 4),
    attempts: MODEL_ATTEMPTS,
    retryBaseDelayMs: hooks.retryBaseDelayMs ?? 1_000,
    onRetry: hooks.onRetry,
    onText: options.onText,
  });
  if (sent.streamIgnored) negotiation.streamIgnored();
  const read = buildReply(sent.wire, mode, tools, options.requestNumber);
  const { wire } = sent;
  const replyChars =
    wire.content.length +
    wire.reasoning.length +
    wire.toolCalls.reduce((n, call) => n + call.name.length + call.arguments.length, 0);
  const requestChars = transport.sentBodyChars();
  const reply: ModelReply = {
    ...read,
    usage: usageFrom(wire.usage, requestChars, replyChars),
    latencyMs: performance.now() - started,
    requestChars,
    mode,
    finishReason: wire.finishReason,
    attempts: sent.attempts,
    streamed: Boolean(body.stream) && !sent.streamIgnored,
    capped: wire.capped,
  };
  const truncated = detectPromptTruncation(
    requestChars,
    reply.usage.estimated ? undefined : reply.usage.prompt,
  );
  if (truncated) throw new PromptTruncatedError(truncated);
  return reply;
}

/** Requests until one is answered, adapting to each refusal the negotiation can work around. */
async function completeWith(
  connection: Connection,
  messages: ChatMessage[],
  tools: ToolSpec[],
  signal: AbortSignal,
  options: CompleteOptions & { requestNumber: number },
): Promise<ModelReply> {
  const { negotiation, settings } = connection;
  const streamingBefore = negotiation.streaming;
  for (;;) {
    try {
      const reply = await requestOnce(connection, messages, tools, signal, options);
      negotiation.reportStreamChange(streamingBefore);
      return reply;
    } catch (error) {
      if (error instanceof PromptTruncatedError) throw new ModelError(error.message);
      if (!isRequestRejected(error) || !negotiation.adaptTo(error, tools)) {
        const attempts = (error as { attempts?: number }).attempts ?? 1;
        throw explainModelError(error, settings.baseUrl, settings.model, attempts);
      }
    }
  }
}

export function createModelClient(settings: ModelSettings, hooks: ModelClientHooks = {}): ModelClient {
  const negotiation = new Negotiation(settings, (what, reason) => hooks.onModeChange?.(what, reason));
  const connection: Connection = { settings, hooks, transport: openTransport(settings), negotiation };
  let requestNumber = 0;
  return {
    get mode() {
      return negotiation.mode;
    },
    async complete(messages, tools, signal, options = {}) {
      requestNumber++;
      // One short-lived signal per call: the `openai` client leaves its abort listener on the signal
      // it is given, and the run's budget signal lives for hundreds of calls.
      const call = new AbortController();
      const forwardAbort = () => call.abort(signal?.reason);
      if (signal?.aborted) call.abort(signal.reason);
      signal?.addEventListener("abort", forwardAbort, { once: true });
      try {
        const reply = await completeWith(connection, messages, tools, call.signal, {
          ...options,
          requestNumber,
        });
        return negotiation.readCallsWrittenAsText(reply, tools, `call_${requestNumber}`);
      } finally {
        signal?.removeEventListener("abort", forwardAbort);
      }
    },
  };
}
