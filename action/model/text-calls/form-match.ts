/** One place in a reply where a form of text tool call was found, with what it yielded. */
import type { TextCall } from "./call-shape.ts";

export interface FormMatch {
  start: number;
  end: number;
  /** Which form matched, for the audit log and tests. */
  form: string;
  calls: TextCall[];
  /** Set when the text was marked as a call but could not be read; worded for the model. */
  error?: string;
}

/** Blanks the matched regions out (same length, so indexes stay valid) for the next finders. */
export function maskMatches(text: string, matches: FormMatch[]): string {
  let out = text;
  for (const { start, end } of matches) out = out.slice(0, start) + " ".repeat(end - start) + out.slice(end);
  return out;
}
