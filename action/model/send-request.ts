/**
 * One chat completion over HTTP with the `openai` client, retried by our retry helper: streamed
 * (server-sent events) or not, with a watchdog that gives up on a stream gone silent, a size cap
 * for servers that ignore `max_tokens`, and the caller's abort honoured mid-stream.
 */
import type OpenAI from "openai";
import { APIError, APIUserAbortError } from "openai";
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import { withRetry } from "../../core/retry.ts";
import { isRetryableModelError, modelRetryAfterMs } from "./model-errors.ts";
import { readCompletion } from "./read-completion.ts";
import { readStream } from "./read-stream.ts";
import { StreamCutError, StreamIdleError } from "./stream-errors.ts";
import { ModelBodyError, type WireReply } from "./wire-reply.ts";

export interface Transport {
  openai: OpenAI;
  /** performance.now() of the last byte received from the server (see the client's fetch). */
  lastByteAt(): number;
}

export interface SendOptions {
  signal: AbortSignal;
  idleTimeoutMs: number;
  maxReplyChars: number;
  attempts: number;
  retryBaseDelayMs: number;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  onText?: (chars: number) => void;
}

export interface SentReply {
  wire: WireReply;
  attempts: number;
  /** True when the server answered a streaming request with a plain JSON body. */
  streamIgnored: boolean;
}

type Body = ChatCompletionCreateParamsStreaming | ChatCompletionCreateParamsNonStreaming;

/** Aborts `call` when no byte has arrived for `idleMs`; the headers just received count as activity. */
function watchSilence(transport: Transport, call: AbortController, idleMs: number): () => void {
  const since = performance.now();
  const timer = setInterval(
    () => {
      const silentFor = performance.now() - Math.max(since, transport.lastByteAt());
      if (silentFor > idleMs) call.abort(new StreamIdleError(silentFor));
    },
    Math.max(20, Math.min(1_000, idleMs / 4)),
  );
  return () => clearInterval(timer);
}

async function readStreamed(
  transport: Transport,
  body: ChatCompletionCreateParamsStreaming,
  call: AbortController,
  options: SendOptions,
): Promise<{ wire: WireReply; streamIgnored: boolean }> {
  const { data, response } = await transport.openai.chat.completions
    .create(body, { signal: call.signal })
    .withResponse();
  if (!response.headers.get("content-type")?.includes("text/event-stream")) {
    return { wire: readCompletion(await response.json()), streamIgnored: true };
  }
  const stopWatching = watchSilence(transport, call, options.idleTimeoutMs);
  try {
    const wire = await readStream(data, { maxChars: options.maxReplyChars, onText: options.onText });
    return { wire, streamIgnored: false };
  } catch (error) {
    if (call.signal.aborted || error instanceof ModelBodyError || error instanceof StreamCutError)
      throw error;
    // An `error` event in the stream, raised by the client as an APIError.
    if (error instanceof APIError) throw error;
    // fetch reports a connection closed mid-body as a bare TypeError ("terminated").
    throw new StreamCutError(`broke (${(error as Error).message})`);
  } finally {
    stopWatching();
  }
}

async function attempt(transport: Transport, body: Body, options: SendOptions) {
  const call = new AbortController();
  const forward = () => call.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  options.signal.addEventListener("abort", forward, { once: true });
  try {
    const result = body.stream
      ? await readStreamed(transport, body, call, options)
      : {
          wire: readCompletion(await transport.openai.chat.completions.create(body, { signal: call.signal })),
          streamIgnored: false,
        };
    // The client's stream iterator ends quietly when aborted; a partial reply must not pass as whole.
    if (call.signal.aborted) throw call.signal.reason;
    return result;
  } catch (error) {
    if (call.signal.reason instanceof StreamIdleError) throw call.signal.reason;
    if (options.signal.aborted) throw new APIUserAbortError();
    throw error;
  } finally {
    options.signal.removeEventListener("abort", forward);
  }
}

export async function sendRequest(
  transport: Transport,
  body: Body,
  options: SendOptions,
): Promise<SentReply> {
  let attempts = 0;
  const result = await withRetry(
    (n) => {
      attempts = n;
      return attempt(transport, body, options);
    },
    {
      attempts: options.attempts,
      baseDelayMs: options.retryBaseDelayMs,
      isRetryable: isRetryableModelError,
      retryAfterMs: modelRetryAfterMs,
      onRetry: options.onRetry,
      signal: options.signal,
    },
  ).catch((error: unknown) => {
    throw Object.assign(error as object, { attempts });
  });
  return { ...result, attempts };
}
