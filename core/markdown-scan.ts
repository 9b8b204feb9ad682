import { type HtmlTag, readHtmlTag } from "./html-tag.ts";

/**
 * Splits markdown into the pieces the prompt-text cleaner treats differently. Not a renderer: where
 * it cannot tell what GitHub would show, it errs towards treating text as hidden (dropping some
 * visible text is harmless; passing on hidden text is the attack).
 */
export type MarkdownToken =
  | { kind: "text"; text: string }
  /** A fenced code block or a code span: shown as typed, so kept as typed. */
  | { kind: "code"; text: string }
  | { kind: "tag"; tag: HtmlTag }
  | { kind: "bracket-open"; image: boolean }
  /** `]`, with the link destination when `(url "title")` follows; the title is left out. */
  | { kind: "bracket-close"; destination?: string };

const FENCE_OPEN = /( {0,3})(`{3,}(?=[^`\n]*(?:\n|$))|~{3,})/y;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/**
 * `[label]: url "title"` defines a link and renders as nothing at all; `[//]: # (note)` hides text
 * this way. A footnote (`[^1]: text`) is shown at the bottom of the page, so it stays.
 */
const LINK_DEFINITION =
  /( {0,3})\[(?!\^)(?:[^\\[\]]|\\.){1,999}\]:[ \t]*\n?[ \t]*(?:<[^<>\n]*>|[^\s<>]\S*)(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*(?=\n|$)/y;
const LINK_TAIL =
  /\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)/y;
/** Characters where something other than plain text can start: \\ ` < ! [ ] and newline. */
const SPECIAL_CODES = new Set([92, 96, 60, 33, 91, 93, 10]);
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Where a fenced block that opens at `start` ends: after its closing line, or at the end of the text. */
function fenceEnd(text: string, lineEnd: number, marker: string): number {
  let position = lineEnd;
  while (position < text.length) {
    const next = text.indexOf("\n", position + 1);
    const end = next < 0 ? text.length : next;
    const close = FENCE_CLOSE.exec(text.slice(position + 1, end))?.[1];
    if (close && close[0] === marker[0] && close.length >= marker.length) return end;
    position = end;
  }
  return text.length;
}

/** Non-markdown HTML constructs that render as nothing; unterminated ones hide the rest of the text. */
function invisibleHtmlEnd(text: string, position: number): number | undefined {
  const upTo = (terminator: string, from: number) => {
    const index = text.indexOf(terminator, from);
    return index < 0 ? text.length : index + terminator.length;
  };
  if (text.startsWith("<!--", position)) {
    // `<!-->` and `<!--->` are complete, empty comments.
    if (text.startsWith(">", position + 4)) return position + 5;
    if (text.startsWith("->", position + 4)) return position + 6;
    return upTo("-->", position + 4);
  }
  if (text.startsWith("<?", position)) return upTo("?>", position + 2);
  if (text.startsWith("<![CDATA[", position)) return upTo("]]>", position + 9);
  if (/^<![A-Za-z]/.test(text.slice(position, position + 3))) return upTo(">", position + 2);
  return undefined;
}

/**
 * Code spans are found per line (a span across lines could hide an HTML block that starts a line,
 * which GitHub renders as HTML). Each line's backtick runs are indexed by length once, so a line
 * of many unmatched runs stays linear.
 */
class CodeSpans {
  private lineStart = -1;
  private lineEnd = -1;
  private runsByLength = new Map<number, number[]>();

  /** Where the run that closes a span opened by `length` backticks at `start` begins, if any. */
  closerFor(text: string, start: number, length: number): number | undefined {
    if (start < this.lineStart || start >= this.lineEnd) this.indexLine(text, start);
    const starts = this.runsByLength.get(length) ?? [];
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle]! > start) high = middle;
      else low = middle + 1;
    }
    return starts[low];
  }

  private indexLine(text: string, position: number): void {
    this.lineStart = text.lastIndexOf("\n", position) + 1;
    const end = text.indexOf("\n", position);
    this.lineEnd = end < 0 ? text.length : end;
    this.runsByLength = new Map();
    for (const run of text.slice(this.lineStart, this.lineEnd).matchAll(/`+/g)) {
      const starts = this.runsByLength.get(run[0].length) ?? [];
      starts.push(this.lineStart + run.index);
      this.runsByLength.set(run[0].length, starts);
    }
  }
}

function backtickRunLength(text: string, start: number): number {
  let end = start;
  while (text[end] === "`") end += 1;
  return end - start;
}

export function scanMarkdown(text: string): MarkdownToken[] {
  const tokens: MarkdownToken[] = [];
  const codeSpans = new CodeSpans();
  let textStart = 0;
  let position = 0;
  const flush = (end: number) => {
    if (end > textStart) tokens.push({ kind: "text", text: text.slice(textStart, end) });
  };
  const skipTo = (end: number) => {
    position = end;
    textStart = end;
  };

  while (position < text.length) {
    if (position === 0 || text[position - 1] === "\n") {
      FENCE_OPEN.lastIndex = position;
      const fence = FENCE_OPEN.exec(text);
      if (fence) {
        const lineEnd = text.indexOf("\n", position);
        const end = lineEnd < 0 ? text.length : fenceEnd(text, lineEnd, fence[2]!);
        flush(position);
        tokens.push({ kind: "code", text: text.slice(position, end) });
        skipTo(end);
        continue;
      }
      LINK_DEFINITION.lastIndex = position;
      if (LINK_DEFINITION.exec(text)) {
        flush(position);
        skipTo(LINK_DEFINITION.lastIndex);
        continue;
      }
    }
    while (position < text.length && !SPECIAL_CODES.has(text.charCodeAt(position))) position += 1;
    if (position >= text.length) break;
    const char = text[position];

    if (char === "\n") position += 1;
    else if (char === "\\") position += ASCII_PUNCTUATION.test(text[position + 1] ?? "") ? 2 : 1;
    else if (char === "`") {
      const length = backtickRunLength(text, position);
      const closer = codeSpans.closerFor(text, position, length);
      if (closer === undefined) position += length;
      else {
        flush(position);
        tokens.push({ kind: "code", text: text.slice(position, closer + length) });
        skipTo(closer + length);
      }
    } else if (char === "<") {
      const invisibleEnd = invisibleHtmlEnd(text, position);
      const tag = invisibleEnd === undefined ? readHtmlTag(text, position) : undefined;
      if (invisibleEnd !== undefined) {
        flush(position);
        skipTo(invisibleEnd);
      } else if (tag) {
        flush(position);
        tokens.push({ kind: "tag", tag });
        skipTo(tag.end);
      } else position += 1;
    } else if (char === "!" && text[position + 1] !== "[") position += 1;
    else if (char === "!" || char === "[") {
      flush(position);
      tokens.push({ kind: "bracket-open", image: char === "!" });
      skipTo(position + (char === "!" ? 2 : 1));
    } else {
      flush(position);
      LINK_TAIL.lastIndex = position + 1;
      const tail = LINK_TAIL.exec(text);
      tokens.push(tail ? { kind: "bracket-close", destination: tail[1]! } : { kind: "bracket-close" });
      skipTo(tail ? LINK_TAIL.lastIndex : position + 1);
    }
  }
  flush(text.length);
  return tokens;
}
