/** The chat completions request body for one call. Pure, so the bytes sent are deterministic. */
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { ChatMessage, ToolSpec } from "../chat/types.ts";
import { renderMessages, renderTools } from "./render-messages.ts";
import type { ModelSettings, ToolCallingMode } from "./types.ts";

export interface BodyOptions {
  mode: ToolCallingMode;
  stream: boolean;
  /** Send reasoning back on assistant turns (only where the model's documentation demands it). */
  resendReasoning: boolean;
}

export function requestBody(
  settings: ModelSettings,
  messages: ChatMessage[],
  tools: ToolSpec[],
  options: BodyOptions,
): ChatCompletionCreateParamsStreaming | ChatCompletionCreateParamsNonStreaming {
  // Everything but the messages first: the body then grows only at its end, turn after turn, like
  // the prompt the server renders from it (chat templates put tools first), so prefixes stay cacheable.
  return {
    model: settings.model,
    ...(options.stream ? { stream: true as const, stream_options: { include_usage: true } } : {}),
    ...(settings.maxTokens ? { max_tokens: settings.maxTokens } : {}),
    ...(options.mode === "native" && tools.length > 0 ? { tools: renderTools(tools) } : {}),
    messages: renderMessages(messages, tools, options.mode, options.resendReasoning),
  };
}
