/**
 * The XML-like function form of Qwen3-Coder (its chat template, and vLLM's `qwen3_coder` /
 * `qwen3_xml` parsers, https://github.com/vllm-project/vllm/blob/main/vllm/tool_parsers/qwen3coder_tool_parser.py):
 *
 *   <tool_call>
 *   <function=read_file>
 *   <parameter=path>
 *   src/sum.js
 *   </parameter>
 *   </function>
 *   </tool_call>
 *
 * Values are raw text (no JSON escaping); like vLLM, one newline after the opening tag and one
 * before the closing tag are dropped, and a value is converted by the type its schema declares.
 */
import type { ToolSpec } from "../../chat/types.ts";
import type { TextCall } from "./call-shape.ts";

const FUNCTION = /<function=([^>\n]+)>([\s\S]*?)(?:<\/function>|$)/g;
const PARAMETER = /<parameter=([^>\n]+)>([\s\S]*?)(?:<\/parameter>|(?=<parameter=)|$)/g;

function trimOneNewline(value: string): string {
  return value.replace(/^\r?\n/, "").replace(/\r?\n$/, "");
}

function declaredType(tool: ToolSpec | undefined, parameter: string): string {
  const properties = (tool?.parameters as { properties?: Record<string, { type?: unknown }> })?.properties;
  const type = properties?.[parameter]?.type;
  return typeof type === "string" ? type : "string";
}

function convert(raw: string, type: string): unknown {
  if (type === "string") return raw;
  if (type === "integer" || type === "number") {
    const number = Number(raw.trim());
    return Number.isFinite(number) ? number : raw;
  }
  if (type === "boolean") return raw.trim().toLowerCase() === "true";
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** The calls in a text holding one or more `<function=…>` blocks; an error when one is unreadable. */
export function parseFunctionTags(text: string, tools: ToolSpec[]): { calls: TextCall[]; error?: string } {
  const calls: TextCall[] = [];
  for (const match of text.matchAll(FUNCTION)) {
    const name = match[1]!.trim();
    const tool = tools.find((candidate) => candidate.name === name);
    const args: Record<string, unknown> = {};
    for (const parameter of match[2]!.matchAll(PARAMETER)) {
      const key = parameter[1]!.trim();
      args[key] = convert(trimOneNewline(parameter[2]!), declaredType(tool, key));
    }
    calls.push({ name, arguments: JSON.stringify(args) });
  }
  if (calls.length === 0) {
    return { calls, error: "a <tool_call> holds neither JSON nor a <function=name> block" };
  }
  return { calls };
}

export function hasFunctionTag(text: string): boolean {
  return /<function=[^>\n]+>/.test(text);
}
