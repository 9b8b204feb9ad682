/**
 * The loop's view of one reply: reasoning split off (kept for the audit log, never parsed), calls
 * read natively or from the text, ids made unique, and a reply cut by the length limit in the
 * middle of a call turned into a request for a shorter step instead of a broken call.
 */

import type { ToolCall, ToolSpec } from "../chat/types.ts";
import { joinReasoning, splitReasoning } from "./reasoning.ts";
import { parseTextToolCalls } from "./text-tools.ts";
import { withCallIds } from "./tool-call-ids.ts";
import type { ToolCallingMode } from "./types.ts";
import type { WireReply } from "./wire-reply.ts";

export interface ReadReply {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  protocolErrors: string[];
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

export const CUT_OFF_NOTE =
  "Your reply was cut off by the length limit in the middle of a tool call, so that call was not run. " +
  "Take a shorter step: write or edit a large file in several smaller edit_file calls, or read it in parts.";

export function buildReply(
  wire: WireReply,
  mode: ToolCallingMode,
  tools: ToolSpec[],
  request: number,
): ReadReply {
  const split = splitReasoning(wire.content);
  const reasoning = joinReasoning(wire.reasoning, split.reasoning);
  const parsed =
    mode === "text"
      ? parseTextToolCalls(split.content, `call_${request}`, tools)
      : { calls: withCallIds(wire.toolCalls, request), errors: [] };
  if (wire.finishReason !== "length") {
    return { content: split.content, reasoning, toolCalls: parsed.calls, protocolErrors: parsed.errors };
  }
  const complete = parsed.calls.filter((call) => isJsonObject(call.arguments));
  const brokenCall = complete.length < parsed.calls.length || parsed.errors.length > 0;
  return {
    content: split.content,
    reasoning,
    toolCalls: complete,
    protocolErrors: brokenCall ? [CUT_OFF_NOTE] : [],
  };
}
