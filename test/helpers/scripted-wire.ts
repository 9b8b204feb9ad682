/**
 * How the scripted server writes a reply on the wire, non-streamed and streamed, in the shapes
 * real servers use:
 *  - chat completion object and stream chunks: https://platform.openai.com/docs/api-reference/chat/object
 *    and https://platform.openai.com/docs/api-reference/chat-streaming (`data: {chunk}` events, tool
 *    calls by `index` with `arguments` in pieces, `finish_reason` on the last choice chunk,
 *    `data: [DONE]` at the end);
 *  - usage in a final chunk with empty `choices`, only when `stream_options.include_usage` is set
 *    (OpenAI's streaming reference; vLLM and Ollama follow it);
 *  - reasoning in `reasoning` (vLLM ≥ 0.11, Ollama), `reasoning_content` (llama.cpp, DeepSeek,
 *    older vLLM) or left in the content as `<think>…</think>` (no reasoning parser on the server).
 */
import type { ScriptedMessage } from "./scripted-replies.ts";

export interface WireUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function wireToolCalls(reply: ScriptedMessage, index: number) {
  return (reply.toolCalls ?? []).map((call, n) => ({
    ...(call.id === null ? {} : { id: call.id ?? `call_${index}_${n}` }),
    type: "function",
    function: {
      name: call.name,
      arguments:
        call.argumentsAsObject || typeof call.arguments === "string"
          ? call.arguments
          : JSON.stringify(call.arguments),
    },
  }));
}

export function wireContent(reply: ScriptedMessage): { content: string; reasoning: Record<string, string> } {
  const content = reply.content ?? "";
  if (!reply.reasoning) return { content, reasoning: {} };
  const placement = reply.reasoningIn ?? "reasoning";
  if (placement === "think-tags")
    return { content: `<think>${reply.reasoning}</think>\n${content}`, reasoning: {} };
  return { content, reasoning: { [placement]: reply.reasoning } };
}

export function finishReason(reply: ScriptedMessage): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
}

export function completionBody(reply: ScriptedMessage, index: number, model: string, usage?: WireUsage) {
  const toolCalls = wireToolCalls(reply, index);
  const { content, reasoning } = wireContent(reply);
  return {
    id: `chatcmpl-scripted-${index}`,
    object: "chat.completion",
    created: 0,
    model,
    choices: [
      {
        index: 0,
        finish_reason: finishReason(reply),
        message: {
          role: "assistant",
          content: reply.content === undefined && !content ? null : content,
          ...reasoning,
          ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
        },
      },
    ],
    ...(usage ? { usage } : {}),
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The `data:` payloads of a streamed reply, in order (without the final `[DONE]`). */
export function streamChunks(
  reply: ScriptedMessage,
  index: number,
  model: string,
  usage?: WireUsage,
): object[] {
  const base = { id: `chatcmpl-scripted-${index}`, object: "chat.completion.chunk", created: 0, model };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const { content, reasoning } = wireContent(reply);
  const out: object[] = [chunk({ role: "assistant", content: "" })];
  for (const [field, text] of Object.entries(reasoning)) {
    for (const piece of pieces(text, 24)) out.push(chunk({ [field]: piece }));
  }
  for (const piece of pieces(content, 24)) out.push(chunk({ content: piece }));
  wireToolCalls(reply, index).forEach((call, n) => {
    const args = call.function.arguments;
    if (typeof args !== "string") {
      out.push(chunk({ tool_calls: [{ index: n, ...call }] }));
      return;
    }
    out.push(
      chunk({ tool_calls: [{ index: n, ...call, function: { name: call.function.name, arguments: "" } }] }),
    );
    for (const piece of pieces(args, 32))
      out.push(chunk({ tool_calls: [{ index: n, function: { arguments: piece } }] }));
  });
  out.push(chunk({}, finishReason(reply)));
  if (usage) out.push({ ...base, choices: [], usage });
  return out;
}

export function sseEvent(data: object | string): string {
  return `data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
}
