/**
 * A scripted OpenAI-compatible model server: a real node:http server on 127.0.0.1 that the real
 * `openai` client talks to. It replays a trajectory (one step per POST /v1/chat/completions), can
 * inject faults, and records every request so tests can assert on what the agent sent.
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
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (use it for malformed JSON). */
  arguments: unknown;
  id?: string;
}

export type ScriptedReply =
  | { kind: "reply"; content?: string; toolCalls?: ScriptedToolCall[]; usage?: "report" | "omit" }
  /** 429 with a `retry-after` header in seconds. */
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "status"; status: number; message: string; headers?: Record<string, string> }
  /** Never answers; the client's timeout (or close()) ends it. */
  | { kind: "hang" };

export type ScriptedStep = ScriptedReply | ((request: RecordedRequest) => ScriptedReply);

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
}

export interface ChatRequestBody {
  model: string;
  messages: Array<{
    role: string;
    content?: string | null;
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
  /** Answer 400 to any request carrying `tools`, like a vLLM started without tool parsing. */
  rejectNativeTools?: boolean;
}

/** Reply builders. */
export const step = {
  text: (content: string): ScriptedReply => ({ kind: "reply", content }),
  tool: (name: string, args: unknown, content = ""): ScriptedReply => ({
    kind: "reply",
    content,
    toolCalls: [{ name, arguments: args }],
  }),
  tools: (...calls: ScriptedToolCall[]): ScriptedReply => ({ kind: "reply", content: "", toolCalls: calls }),
  /** A call written in the reply text (```tool block), as the text protocol asks. */
  textTool: (name: string, args: unknown, prose = ""): ScriptedReply => ({
    kind: "reply",
    content: `${prose}\n\`\`\`tool\n${JSON.stringify({ name, arguments: args })}\n\`\`\``.trim(),
  }),
  /** A native call whose arguments are not JSON. */
  malformedTool: (name: string, rawArguments = '{"path": "src/'): ScriptedReply => ({
    kind: "reply",
    content: "",
    toolCalls: [{ name, arguments: rawArguments }],
  }),
  /** The same step `times` times: a model that loops. */
  repeat: (reply: ScriptedStep, times: number): ScriptedStep[] => Array.from({ length: times }, () => reply),
};

/** Fault builders. */
export const fault = {
  rateLimit: (retryAfterSeconds = 1): ScriptedReply => ({ kind: "rate-limit", retryAfterSeconds }),
  serverError: (status = 500): ScriptedReply => ({
    kind: "status",
    status,
    message: "scripted server error",
  }),
  status: (status: number, message: string): ScriptedReply => ({ kind: "status", status, message }),
  hang: (): ScriptedReply => ({ kind: "hang" }),
};

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

function completion(
  reply: Extract<ScriptedReply, { kind: "reply" }>,
  index: number,
  raw: string,
  model: string,
  usage: string,
) {
  const toolCalls = (reply.toolCalls ?? []).map((call, n) => ({
    id: call.id ?? `call_${index}_${n}`,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    },
  }));
  const completionTokens = Math.ceil(((reply.content ?? "").length + JSON.stringify(toolCalls).length) / 4);
  const promptTokens = Math.ceil(raw.length / 4);
  return {
    id: `chatcmpl-scripted-${index}`,
    object: "chat.completion",
    created: 0,
    model,
    choices: [
      {
        index: 0,
        finish_reason: toolCalls.length ? "tool_calls" : "stop",
        message: {
          role: "assistant",
          content: reply.content ?? null,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
      },
    ],
    ...((reply.usage ?? usage) === "report"
      ? {
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        }
      : {}),
  };
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
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      return send(res, 200, { object: "list", data: [{ id: model, object: "model", owned_by: "scripted" }] });
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      return send(res, 404, { error: { message: `scripted server has no ${req.method} ${req.url}` } });
    }
    const recorded: RecordedRequest = {
      index: requests.length,
      body: JSON.parse(raw),
      raw,
      headers: req.headers,
      receivedAt: performance.now(),
    };
    res.once("finish", () => {
      recorded.respondedAt = performance.now();
    });
    requests.push(recorded);
    if (options.rejectNativeTools && recorded.body.tools?.length) {
      return send(res, 400, {
        error: { message: '"auto" tool choice requires --enable-auto-tool-choice', type: "BadRequestError" },
      });
    }
    const next = queue.shift();
    if (!next) {
      return send(res, 400, {
        error: {
          message: `scripted model server: no step left for request #${recorded.index + 1}`,
          type: "script_exhausted",
        },
      });
    }
    const reply = typeof next === "function" ? next(recorded) : next;
    switch (reply.kind) {
      case "hang":
        return; // the socket stays open until the client gives up or close() runs
      case "rate-limit":
        return send(
          res,
          429,
          { error: { message: "rate limited (scripted)" } },
          { "retry-after": String(reply.retryAfterSeconds) },
        );
      case "status":
        return send(res, reply.status, { error: { message: reply.message } }, reply.headers);
      case "reply":
        return send(res, 200, completion(reply, recorded.index, raw, model, options.usage ?? "report"));
    }
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
