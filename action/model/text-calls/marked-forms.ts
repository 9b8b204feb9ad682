/**
 * Forms that carry an explicit call marker. Text inside them is meant as a call, so when it cannot
 * be read the model is told why (a protocol error) instead of the text being ignored.
 */
import type { ToolSpec } from "../../chat/types.ts";
import { callsFromJson, tryParseJson } from "./call-shape.ts";
import type { FormMatch } from "./form-match.ts";
import { balancedEnd } from "./json-spans.ts";
import { hasFunctionTag, parseFunctionTags } from "./xml-function.ts";

function fromJsonText(
  body: string,
  where: { start: number; end: number; form: string },
  toolNames: ReadonlySet<string>,
): FormMatch {
  const parsed = tryParseJson(body.trim());
  if (parsed.error !== undefined) {
    return {
      ...where,
      calls: [],
      error: `it is not valid JSON (${parsed.error}): ${body.trim().slice(0, 200)}`,
    };
  }
  const shape = callsFromJson(parsed.value, true, toolNames);
  return shape.ok ? { ...where, calls: shape.calls } : { ...where, calls: [], error: shape.reason };
}

/**
 * Hermes / Qwen 2.5 / Qwen3: `<tool_call>{"name": …, "arguments": …}</tool_call>`, and Qwen3-Coder's
 * `<tool_call><function=…>` inside the same tag. An unclosed tag at the end is read to the end,
 * like vLLM's hermes parser (`<tool_call>(.*?)</tool_call>|<tool_call>(.*)`,
 * https://github.com/vllm-project/vllm/blob/main/vllm/tool_parsers/hermes_tool_parser.py).
 */
export function findToolCallTags(
  text: string,
  tools: ToolSpec[],
  toolNames: ReadonlySet<string>,
): FormMatch[] {
  const matches: FormMatch[] = [];
  for (const match of text.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)) {
    const where = { start: match.index!, end: match.index! + match[0].length, form: "tool_call tag" };
    const body = match[1]!;
    if (hasFunctionTag(body)) {
      const parsed = parseFunctionTags(body, tools);
      matches.push({ ...where, form: "function tag", calls: parsed.calls, error: parsed.error });
    } else matches.push(fromJsonText(body, where, toolNames));
  }
  return matches;
}

/** Qwen3-Coder's `<function=…>` blocks written without the `<tool_call>` wrapper (vLLM's parser accepts both). */
export function findFunctionTags(text: string, tools: ToolSpec[]): FormMatch[] {
  const start = text.search(/<function=[^>\n]+>/);
  if (start === -1) return [];
  const parsed = parseFunctionTags(text.slice(start), tools);
  const last = text.lastIndexOf("</function>");
  const end = last > start ? last + "</function>".length : text.length;
  return [{ start, end, form: "function tag", calls: parsed.calls, error: parsed.error }];
}

/**
 * Mistral's `[TOOL_CALLS]` marker, in both generations:
 *  - tokenizer v3 (Mistral 7B v0.3, Nemo): `[TOOL_CALLS] [{"name": …, "arguments": {…}}]`;
 *  - tokenizer v11+ (Mistral Small 3.2, Magistral, Devstral): `[TOOL_CALLS]name[ARGS]{…}`, repeated per call,
 *    optionally with `[CALL_ID]id` before `[ARGS]`.
 * Both are what vLLM's `mistral` parser reads
 * (https://github.com/vllm-project/vllm/blob/main/vllm/tool_parsers/mistral_tool_parser.py).
 */
export function findMistralCalls(text: string, toolNames: ReadonlySet<string>): FormMatch[] {
  const matches: FormMatch[] = [];
  const marker = "[TOOL_CALLS]";
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    const after = at + marker.length;
    const jsonStart = text.slice(after).search(/\S/) + after;
    if (text[jsonStart] === "[" || text[jsonStart] === "{") {
      const end = balancedEnd(text, jsonStart);
      const stop = end === -1 ? text.length : end;
      matches.push(
        fromJsonText(text.slice(jsonStart, stop), { start: at, end: stop, form: "mistral list" }, toolNames),
      );
      continue;
    }
    const named = /^\s*([A-Za-z0-9_.-]+)(?:\[CALL_ID\][A-Za-z0-9]+)?\[ARGS\]/.exec(text.slice(after));
    if (!named) {
      matches.push({
        start: at,
        end: after,
        form: "mistral",
        calls: [],
        error: "nothing after [TOOL_CALLS] reads as a call",
      });
      continue;
    }
    const argsStart = after + named[0].length;
    const end = balancedEnd(text, argsStart);
    const stop = end === -1 ? text.length : end;
    const body = `{"name": ${JSON.stringify(named[1])}, "arguments": ${text.slice(argsStart, stop) || "{}"}}`;
    matches.push(fromJsonText(body, { start: at, end: stop, form: "mistral args" }, toolNames));
  }
  return matches;
}

/** Our own protocol, the one the system prompt teaches: a fenced block tagged `tool`. */
export function findToolFences(text: string, toolNames: ReadonlySet<string>): FormMatch[] {
  return [...text.matchAll(/```tool[^\S\n]*\n([\s\S]*?)(?:```|$)/g)].map((match) =>
    fromJsonText(
      match[1]!,
      { start: match.index!, end: match.index! + match[0].length, form: "tool fence" },
      toolNames,
    ),
  );
}
