/** Reads a non-streamed chat completion body into a WireReply, tolerating what servers really send. */
import { argumentsAsText, bodyError, ModelBodyError, type WireReply } from "./wire-reply.ts";

interface RawMessage {
  content?: unknown;
  reasoning?: unknown;
  reasoning_content?: unknown;
  tool_calls?: Array<{ id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } }>;
}

interface RawCompletion {
  choices?: Array<{ message?: RawMessage; finish_reason?: string | null }>;
  usage?: WireReply["usage"];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

export function readCompletion(body: unknown): WireReply {
  const error = bodyError(body);
  if (error) throw error;
  const completion = body as RawCompletion;
  const choice = completion?.choices?.[0];
  if (!choice) throw new ModelBodyError("the answer has no choices (not a chat completion)");
  const message = choice.message ?? {};
  return {
    content: text(message.content),
    reasoning: [text(message.reasoning_content), text(message.reasoning)].filter(Boolean).join("\n\n"),
    toolCalls: (message.tool_calls ?? []).flatMap((call) =>
      typeof call.function?.name === "string"
        ? [
            {
              id: typeof call.id === "string" && call.id ? call.id : undefined,
              name: call.function.name,
              arguments: argumentsAsText(call.function.arguments),
            },
          ]
        : [],
    ),
    finishReason: choice.finish_reason ?? null,
    usage: completion.usage ?? undefined,
    capped: false,
  };
}
