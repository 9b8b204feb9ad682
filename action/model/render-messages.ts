/** Turns the loop's messages into the wire format of one tool-calling mode. Pure and deterministic. */
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { ChatMessage, ToolSpec } from "../chat/types.ts";
import { describeToolsAsText, looksLikeTextToolCall, renderTextToolCall } from "./text-tools.ts";
import type { ToolCallingMode } from "./types.ts";

/**
 * Reasoning is not sent back, except to models whose documentation requires it on tool-call turns
 * (DeepSeek's thinking mode: https://api-docs.deepseek.com/guides/thinking_mode#tool-calls; its
 * earlier deepseek-reasoner answered 400 when it was sent). Only then does it travel, as
 * `reasoning_content` on the assistant message that made the calls.
 */
export function renderNative(messages: ChatMessage[], resendReasoning = false): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case "assistant": {
        if (message.toolCalls.length === 0) return { role: "assistant", content: message.content };
        const reasoning =
          resendReasoning && message.reasoning ? { reasoning_content: message.reasoning } : {};
        return {
          role: "assistant",
          content: message.content || null,
          ...reasoning,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: call.arguments },
          })),
        } as ChatCompletionMessageParam;
      }
      case "tool":
        return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
      default:
        return { role: message.role, content: message.content };
    }
  });
}

/**
 * Text mode: tool results become user turns, and consecutive user turns are merged because many
 * local chat templates insist that user and assistant alternate.
 */
export function renderText(messages: ChatMessage[], tools: ToolSpec[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    let rendered: ChatCompletionMessageParam;
    if (message.role === "system") {
      rendered = {
        role: "system",
        content: tools.length ? `${message.content}\n\n${describeToolsAsText(tools)}` : message.content,
      };
    } else if (message.role === "assistant") {
      const calls =
        message.toolCalls.length > 0 && !looksLikeTextToolCall(message.content, tools)
          ? message.toolCalls.map(renderTextToolCall).join("\n")
          : "";
      rendered = { role: "assistant", content: [message.content, calls].filter(Boolean).join("\n") };
    } else if (message.role === "tool") {
      rendered = {
        role: "user",
        content: `[result of ${message.name} (${message.toolCallId})]\n${message.content}`,
      };
    } else {
      rendered = { role: "user", content: message.content };
    }
    const last = out.at(-1);
    if (rendered.role === "user" && last?.role === "user")
      last.content = `${last.content}\n\n${rendered.content}`;
    else out.push(rendered);
  }
  return out;
}

export function renderTools(tools: ToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}

export function renderMessages(
  messages: ChatMessage[],
  tools: ToolSpec[],
  mode: ToolCallingMode,
  resendReasoning = false,
) {
  return mode === "native" ? renderNative(messages, resendReasoning) : renderText(messages, tools);
}
