/**
 * Ids for tool calls that came without one (or with one already used in the reply): each tool
 * result must name its call (`tool_call_id`), so a reply of id-less calls would be ambiguous.
 * Generated ids are nine letters and digits, the only form Mistral's validator accepts
 * (https://github.com/mistralai/mistral-common/blob/main/src/mistral_common/protocol/instruct/validator.py,
 * which vLLM's `mistral` parser follows), and deterministic, so a replayed conversation is
 * byte-identical and the server's prefix cache still matches.
 */
import type { ToolCall } from "../chat/types.ts";
import type { WireToolCall } from "./wire-reply.ts";

function generatedId(request: number, n: number): string {
  return `c${String(request).padStart(5, "0")}n${String(n).padStart(2, "0")}`.slice(-9).padStart(9, "0");
}

export function withCallIds(calls: WireToolCall[], request: number): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((call, n) => {
    const id = call.id && !seen.has(call.id) ? call.id : generatedId(request, n + 1);
    seen.add(id);
    return { id, name: call.name, arguments: call.arguments };
  });
}
