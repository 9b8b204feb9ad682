/** What the scripted model server can answer, and builders for it (re-exported by scripted-model-server.ts). */

export interface ScriptedToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (use it for malformed JSON). */
  arguments: unknown;
  /** `null` sends the call without an id, as some servers do. */
  id?: string | null;
  /** Send `arguments` as a JSON object instead of a string, as some servers and gateways do. */
  argumentsAsObject?: boolean;
}

/** Where a reply's reasoning goes: a message field (vLLM, llama.cpp, Ollama, DeepSeek) or `<think>` in the content. */
export type ReasoningPlacement = "reasoning" | "reasoning_content" | "think-tags";

export interface ScriptedMessage {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  usage?: "report" | "omit";
  reasoning?: string;
  reasoningIn?: ReasoningPlacement;
  /** Overrides the finish reason (`length` for a reply cut by the token limit). */
  finishReason?: string;
}

export type ScriptedReply =
  | ({ kind: "reply" } & ScriptedMessage)
  /** 429 with a `retry-after` header in seconds. */
  | { kind: "rate-limit"; retryAfterSeconds: number }
  | { kind: "status"; status: number; message: string; headers?: Record<string, string> }
  /** Never answers; the client's timeout (or close()) ends it. */
  | { kind: "hang" }
  /** HTTP 200 whose body (or stream event) is an error object, as gateways send once generation started. */
  | { kind: "error-in-body"; message: string; code?: number }
  /** Streams `reply` and drops the connection after about `afterChars` characters of it. */
  | { kind: "cut-stream"; reply: ScriptedMessage; afterChars: number }
  /** Streams the start of `reply`, then sends nothing while keeping the connection open. */
  | { kind: "stall-stream"; reply: ScriptedMessage }
  /** Writes `piece` again and again, ignoring max_tokens, until the client hangs up (bounded by `maxPieces`). */
  | { kind: "endless"; piece: string; maxPieces?: number };

/** A reply, or a function of the request giving one; it may be async (a test looks at the world first). */
export type ScriptedStep<R = ScriptedReply> =
  | R
  | ((request: import("./scripted-model-server.ts").RecordedRequest) => R | Promise<R>);

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
  errorInBody: (message: string, code?: number): ScriptedReply => ({ kind: "error-in-body", message, code }),
  cutStream: (reply: ScriptedReply, afterChars: number): ScriptedReply => ({
    kind: "cut-stream",
    reply: reply as ScriptedMessage,
    afterChars,
  }),
  stallStream: (reply: ScriptedReply): ScriptedReply => ({
    kind: "stall-stream",
    reply: reply as ScriptedMessage,
  }),
  endless: (piece = "word ", maxPieces = 200_000): ScriptedReply => ({ kind: "endless", piece, maxPieces }),
};
