/**
 * Forms without a call marker: a fenced block with any other tag (```json, or none) holding a call,
 * which Qwen2.5-Coder and many instruct models write when not told otherwise, and bare JSON in the
 * reply, which is how Llama 3.1/3.2/3.3 call tools (`{"name": …, "parameters": {…}}`, optionally
 * after `<|python_tag|>`, several separated by `;`: Meta's Llama 3.1 prompt format,
 * https://www.llama.com/docs/model-cards-and-prompt-formats/llama3_1/, and vLLM's `llama3_json`
 * parser). Since nothing marks them, they are calls only when the shape is exact (call-shape.ts);
 * anything else is prose or code and is left alone.
 */
import { callsFromJson, tryParseJson } from "./call-shape.ts";
import type { FormMatch } from "./form-match.ts";
import { jsonSpans } from "./json-spans.ts";

/** Every fenced block: a call when its body is one; otherwise claimed as code so its braces are not scanned. */
export function findOtherFences(text: string, toolNames: ReadonlySet<string>): FormMatch[] {
  return [...text.matchAll(/```[^\n`]*\n([\s\S]*?)```/g)].map((match) => {
    const where = { start: match.index!, end: match.index! + match[0].length };
    const parsed = tryParseJson(match[1]!.trim());
    const shape = parsed.error === undefined ? callsFromJson(parsed.value, false, toolNames) : undefined;
    return shape?.ok
      ? { ...where, form: "fenced json", calls: shape.calls }
      : { ...where, form: "code", calls: [] };
  });
}

export function findBareJson(text: string, toolNames: ReadonlySet<string>): FormMatch[] {
  const matches: FormMatch[] = [];
  for (const span of jsonSpans(text)) {
    const parsed = tryParseJson(span.text);
    if (parsed.error !== undefined) continue;
    const shape = callsFromJson(parsed.value, false, toolNames);
    if (shape.ok) matches.push({ start: span.start, end: span.end, form: "bare json", calls: shape.calls });
  }
  return matches;
}
