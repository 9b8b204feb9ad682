/**
 * Finds balanced JSON-looking spans (`{…}` or `[…]`) in free text, aware of JSON strings so a
 * brace inside a string does not end the span. It only finds candidates: callers still parse them.
 */

export interface TextSpan {
  start: number;
  end: number;
  text: string;
}

/** The end index (exclusive) of the balanced value opening at `start`, or -1 when it never closes. */
export function balancedEnd(text: string, start: number): number {
  const stack: string[] = [];
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") stack.push(ch === "{" ? "}" : "]");
    else if (ch === "}" || ch === "]") {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** Top-level `{…}` and `[…]` spans, left to right, never nested in one another. */
export function jsonSpans(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== "{" && ch !== "[") continue;
    const end = balancedEnd(text, i);
    if (end === -1) continue;
    spans.push({ start: i, end, text: text.slice(i, end) });
    i = end - 1;
  }
  return spans;
}
