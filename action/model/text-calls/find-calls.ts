/**
 * Reads tool calls written as text, in the forms open-weight models emit (see docs/models.md).
 * Marked forms are read first and their regions blanked, then fenced blocks, then bare JSON, so
 * one piece of text is never read twice. Reasoning has already been removed by the caller.
 */
import type { ToolSpec } from "../../chat/types.ts";
import type { TextCall } from "./call-shape.ts";
import { type FormMatch, maskMatches } from "./form-match.ts";
import { findFunctionTags, findMistralCalls, findToolCallTags, findToolFences } from "./marked-forms.ts";
import { findBareJson, findOtherFences } from "./unmarked-forms.ts";

export interface FoundCalls {
  calls: Array<TextCall & { form: string }>;
  /** One sentence per marked call that could not be read, worded for the model. */
  errors: string[];
}

export function findTextCalls(content: string, tools: ToolSpec[]): FoundCalls {
  const toolNames = new Set(tools.map((tool) => tool.name));
  const finders: Array<(text: string) => FormMatch[]> = [
    (text) => findToolCallTags(text, tools, toolNames),
    (text) => findFunctionTags(text, tools),
    (text) => findMistralCalls(text, toolNames),
    (text) => findToolFences(text, toolNames),
    (text) => findOtherFences(text, toolNames),
    (text) => findBareJson(text.replaceAll("<|python_tag|>", " ".repeat(14)), toolNames),
  ];
  const found: FormMatch[] = [];
  let text = content;
  for (const finder of finders) {
    const matches = finder(text);
    found.push(...matches);
    text = maskMatches(text, matches);
  }
  found.sort((a, b) => a.start - b.start);
  return {
    calls: found.flatMap((match) => match.calls.map((call) => ({ ...call, form: match.form }))),
    errors: found.flatMap((match) =>
      match.error ? [`A ${match.form} could not be read: ${match.error}.`] : [],
    ),
  };
}

/** True when a reply holds anything that reads as a call; used to notice a model calling tools as text. */
export function hasTextCall(content: string, tools: ToolSpec[]): boolean {
  const found = findTextCalls(content, tools);
  return found.calls.length > 0 || found.errors.length > 0;
}
