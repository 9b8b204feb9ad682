/**
 * A scripted OpenAI-compatible model server: a real node:http server on 127.0.0.1 that the real
 * `openai` client talks to. It replays a trajectory (one step per POST /v1/chat/completions),
 * streams (server-sent events) when asked to like vLLM, llama.cpp and Ollama do, can pose as one
 * of those servers and imitate their quirks, injects faults, and records every request.
 *
 *   const server = await startScriptedModelServer([
 *     step.tool("read_file", { path: "src/sum.js" }),
 *     (request) => step.tool("edit_file", { ... lastToolResult(request) ... }),
 *     fault.rateLimit(1),
 *     step.tool("finish", { summary: "Fixed the sum" }),
 *   ]);
 *   // settings: { baseUrl: server.baseUrl, apiKey: "test", model: server.model }
 *   await server.close();
 *
 * A step is consumed by each request, faults included, so `[fault.serverError(), step.text("hi")]`
 * answers the first attempt with 500 and its retry with "hi". When the script runs out the server
 * answers 400 naming the request number, which fails the test loudly instead of hanging it.
 * Every rule is tested in test/helpers/scripted-model-server.test.ts.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ScriptedMessage, ScriptedReply, ScriptedStep } from "./scripted-replies.ts";
import { type ServerInfoOptions, serverInfoAnswer } from "./scripted-server-info.ts";
import { completionBody, sseEvent, streamChunks, type WireUsage } from "./scripted-wire.ts";

export {
  fault,
  type ScriptedReply,
  type ScriptedStep,
  type ScriptedToolCall,
  step,
} from "./scripted-replies.ts";

/** The chat request as the server received it. */
export interface RecordedRequest {
  index: number;
  body: ChatRequestBody;
  /** The raw body text, byte for byte (for prefix-cache assertions). */
  raw: string;
  headers: IncomingMessage["headers"];
  /** performance.now() when the body had arrived and when the answer was sent (benchmarks). */
  receivedAt: number;
  respondedAt?: number;
  /** True when the client hung up before the answer was complete (a stopped generation). */
  clientClosedEarly?: boolean;
  /** Stream events written for this request. */
  eventsSent: number;
}

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  messages: Array<{
    role: string;
    content?: string | null;
    reasoning_content?: string;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string } }>;
}

export interface ScriptedModelServer {
  /** OpenAI-style base URL ending in /v1. */
  baseUrl: string;
  model: string;
  requests: RecordedRequest[];
  /** Steps not yet consumed. */
  readonly remaining: number;
  /** Appends steps, for scripts built while a test runs. */
  push(...steps: ScriptedStep[]): void;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  model?: string;
  /** Default for replies that do not say: report token usage (chars/4 of the request) or omit it. */
  usage?: "report" | "omit";
  /**
   * Answer 400 to any request carrying `tools`, like a vLLM started without `--enable-auto-tool-choice`
   * (https://docs.vllm.ai/en/latest/features/tool_calling/); a string replaces the message (Ollama
   * says "<model> does not support tools" for a model whose template has no tools).
   */
  rejectNativeTools?: boolean | string;
  /** `stream: true` answered with SSE (default), ignored (plain JSON, as some proxies do) or refused with 400. */
  streaming?: "sse" | "ignore" | "reject";
  /**
   * Reports at most this many prompt tokens: Ollama, past the model's `num_ctx`, keeps only the end
   * of the prompt and counts only what it kept (https://github.com/ollama/ollama/issues/3427).
   */
  truncatePromptTo?: number;
  /** Pose as vLLM, llama.cpp or Ollama on their context-window endpoints. */
  info?: ServerInfoOptions;
  /**
   * Answer 400 when an assistant message with tool calls comes back without `reasoning_content`, as
   * DeepSeek's thinking mode does (https://api-docs.deepseek.com/guides/thinking_mode#tool-calls).
   */
  requireReasoningBack?: boolean;
  /**
   * A model generating at a fixed rate: a streamed reply's events are written this many ms apart,
   * and a plain reply is held back for as long as its events would have taken.
   */
  eventIntervalMs?: number;
}

/** The text of the last tool result (native `tool` message or text-mode user turn) in a request. */
export function lastToolResult(request: RecordedRequest): string {
  const last = [...request.body.messages].reverse().find((m) => m.role === "tool" || m.role === "user");
  return last?.content ?? "";
}

/** Every message's text in a request, joined: handy for `toContain` on what the model saw. */
export function transcript(request: RecordedRequest): string {
  return request.body.messages.map((m) => `${m.role}: ${m.content ?? ""}`).join("\n");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function usageFor(
  reply: ScriptedMessage,
  recorded: RecordedRequest,
  options: ScriptedServerOptions,
): WireUsage | undefined {
  if ((reply.usage ?? options.usage ?? "report") !== "report") return undefined;
  const real = Math.ceil(recorded.raw.length / 4);
  const prompt = options.truncatePromptTo ? Math.min(real, options.truncatePromptTo) : real;
  const completion = Math.ceil(
    ((reply.content ?? "").length + JSON.stringify(reply.toolCalls ?? []).length) / 4,
  );
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Why this request is refused (400), if it is, by the server's configured rules. */
function refusal(recorded: RecordedRequest, options: ScriptedServerOptions): string | undefined {
  const body = recorded.body;
  if (options.rejectNativeTools && body.tools?.length) {
    return typeof options.rejectNativeTools === "string"
      ? options.rejectNativeTools
      : '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set';
  }
  if (options.streaming === "reject" && body.stream) return "streaming is not supported by this server";
  if (options.requireReasoningBack) {
    const missing = body.messages.findIndex(
      (m) => m.role === "assistant" && m.tool_calls?.length && !m.reasoning_content,
    );
    if (missing !== -1)
      return `The \`reasoning_content\` in the thinking mode must be passed back to the API (message ${missing}).`;
  }
  return undefined;
}

function openStream(res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
}

function writeStreamed(
  res: ServerResponse,
  recorded: RecordedRequest,
  reply: ScriptedReply,
  events: object[],
  intervalMs = 0,
): void {
  openStream(res);
  if (reply.kind === "cut-stream") {
    let chars = 0;
    let text = "";
    for (const event of events) {
      const json = JSON.stringify(event);
      if (chars + json.length > reply.afterChars) break;
      chars += json.length;
      text += sseEvent(event);
      recorded.eventsSent++;
    }
    // Cut once the events are on the wire: the client has started reading the reply.
    res.write(text, () => setTimeout(() => res.socket?.destroy(), 5));
    return;
  }
  if (reply.kind === "stall-stream") {
    for (const event of events.slice(0, Math.ceil(events.length / 2))) res.write(sseEvent(event));
    recorded.eventsSent = Math.ceil(events.length / 2);
    return; // silent from here until the client gives up
  }
  if (!intervalMs) {
    res.end(events.map((event) => sseEvent(event)).join("") + sseEvent("[DONE]"));
    recorded.eventsSent = events.length;
    return;
  }
  const next = () => {
    if (res.destroyed) return;
    const event = events[recorded.eventsSent];
    if (!event) return void res.end(sseEvent("[DONE]"));
    recorded.eventsSent++;
    res.write(sseEvent(event));
    setTimeout(next, intervalMs);
  };
  next();
}

/** Writes `piece` until the client hangs up or `maxPieces` were sent: a server ignoring max_tokens. */
function writeEndless(
  res: ServerResponse,
  recorded: RecordedRequest,
  piece: string,
  maxPieces: number,
  model: string,
  stream: boolean,
): void {
  if (!stream) {
    send(
      res,
      200,
      completionBody({ content: piece.repeat(maxPieces), finishReason: "stop" }, recorded.index, model),
    );
    return;
  }
  openStream(res);
  const chunk = sseEvent({
    id: "endless",
    object: "chat.completion.chunk",
    created: 0,
    model,
    choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
  });
  const pump = () => {
    while (!res.destroyed && recorded.eventsSent < maxPieces) {
      recorded.eventsSent++;
      if (!res.write(chunk)) return void res.once("drain", pump);
      if (recorded.eventsSent % 64 === 0) return void setImmediate(pump);
    }
    if (!res.destroyed) res.end(sseEvent("[DONE]"));
  };
  pump();
}

function answer(
  res: ServerResponse,
  recorded: RecordedRequest,
  reply: ScriptedReply,
  model: string,
  options: ScriptedServerOptions,
): void {
  const stream = Boolean(recorded.body.stream) && options.streaming !== "ignore";
  if (reply.kind === "hang") return; // the socket stays open until the client gives up or close() runs
  if (reply.kind === "rate-limit") {
    send(
      res,
      429,
      { error: { message: "rate limited (scripted)" } },
      { "retry-after": String(reply.retryAfterSeconds) },
    );
  } else if (reply.kind === "status") {
    send(res, reply.status, { error: { message: reply.message } }, reply.headers);
  } else if (reply.kind === "error-in-body") {
    const error = { error: { message: reply.message, ...(reply.code ? { code: reply.code } : {}) } };
    if (!stream) send(res, 200, error);
    else {
      openStream(res);
      res.end(sseEvent(error));
    }
  } else if (reply.kind === "endless") {
    writeEndless(res, recorded, reply.piece, reply.maxPieces ?? 200_000, model, stream);
  } else {
    const message = reply.kind === "reply" ? reply : reply.reply;
    const usage = usageFor(message, recorded, options);
    const includeUsage = recorded.body.stream_options?.include_usage === true;
    const events = streamChunks(message, recorded.index, model, includeUsage ? usage : undefined);
    const intervalMs = options.eventIntervalMs ?? 0;
    if (stream) writeStreamed(res, recorded, reply, events, intervalMs);
    else if (!intervalMs) send(res, 200, completionBody(message, recorded.index, model, usage));
    else
      setTimeout(
        () => send(res, 200, completionBody(message, recorded.index, model, usage)),
        events.length * intervalMs,
      );
  }
}

export async function startScriptedModelServer(
  steps: ScriptedStep[],
  options: ScriptedServerOptions = {},
): Promise<ScriptedModelServer> {
  const model = options.model ?? "scripted-model";
  const queue = [...steps];
  const requests: RecordedRequest[] = [];

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "").split("?")[0]!;
    const info = serverInfoAnswer(req.method ?? "", path, raw, model, options.info ?? {});
    if (info) return send(res, info.status, info.body);
    if (req.method !== "POST" || !path.endsWith("/chat/completions")) {
      return send(res, 404, { error: { message: `scripted server has no ${req.method} ${req.url}` } });
    }
    const recorded: RecordedRequest = {
      index: requests.length,
      body: JSON.parse(raw),
      raw,
      headers: req.headers,
      receivedAt: performance.now(),
      eventsSent: 0,
    };
    res.once("finish", () => {
      recorded.respondedAt = performance.now();
    });
    res.once("close", () => {
      if (!res.writableFinished) recorded.clientClosedEarly = true;
    });
    requests.push(recorded);
    const refused = refusal(recorded, options);
    if (refused) return send(res, 400, { error: { message: refused, type: "BadRequestError", code: 400 } });
    const next = queue.shift();
    if (!next) {
      return send(res, 400, {
        error: {
          message: `scripted model server: no step left for request #${recorded.index + 1}`,
          type: "script_exhausted",
        },
      });
    }
    answer(res, recorded, typeof next === "function" ? await next(recorded) : next, model, options);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model,
    requests,
    get remaining() {
      return queue.length;
    },
    push: (...more) => queue.push(...more),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
