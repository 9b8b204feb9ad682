import { removeInvisibleCharacters } from "./invisible-characters.ts";
import { type MarkdownToken, scanMarkdown } from "./markdown-scan.ts";

export interface PromptTextOptions {
  /**
   * Longest result, note included; longer text is cut with a note saying how much was cut. A limit
   * shorter than the note (about 80 characters) gives the note alone.
   */
  maxChars: number;
}

/** Tags that start a new line when rendered; dropping them must not glue two words together. */
const LINE_BREAKING_TAGS = new Set(["br", "hr", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"]);

function matchingBrackets(tokens: MarkdownToken[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  tokens.forEach((token, index) => {
    if (token.kind === "bracket-open") open.push(index);
    else if (token.kind === "bracket-close" && open.length > 0) pairs.set(open.pop()!, index);
  });
  return pairs;
}

function bracketCloseText(token: { destination?: string }): string {
  return token.destination === undefined ? "]" : `](${token.destination})`;
}

function visibleText(tokens: MarkdownToken[]): string {
  const pairs = matchingBrackets(tokens);
  const out: string[] = [];
  let hidden: { name: string; depth: number } | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (hidden) {
      if (token.kind === "tag" && token.tag.name === hidden.name) {
        if (token.tag.kind === "close") hidden.depth -= 1;
        else if (!token.tag.isVoid) hidden.depth += 1;
        if (hidden.depth === 0) hidden = undefined;
      }
      continue;
    }
    switch (token.kind) {
      case "text":
      case "code":
        out.push(token.text);
        break;
      case "tag":
        if (token.tag.kind === "open" && token.tag.hides && !token.tag.isVoid) {
          hidden = { name: token.tag.name, depth: 1 };
        } else if (LINE_BREAKING_TAGS.has(token.tag.name)) out.push("\n");
        break;
      case "bracket-open": {
        const close = pairs.get(index);
        const closeToken = close === undefined ? undefined : tokens[close];
        if (token.image && closeToken?.kind === "bracket-close") {
          // Alt text shows only when the image fails to load: keep the image, not its alt.
          out.push(`![${bracketCloseText(closeToken)}`);
          index = close!;
        } else out.push(token.image ? "![" : "[");
        break;
      }
      case "bracket-close":
        out.push(bracketCloseText(token));
        break;
    }
  }
  return out.join("");
}

/** Cuts to `maxChars`, the note included, without splitting a surrogate pair. */
function capLength(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = (cut: number) =>
    `[${cut} of ${text.length} characters cut here: the text was longer than the limit]`;
  let keep = Math.max(0, maxChars - note(text.length).length - 2);
  if (/[\uD800-\uDBFF]/.test(text[keep - 1] ?? "")) keep -= 1;
  return keep > 0 ? `${text.slice(0, keep)}\n\n${note(text.length - keep)}` : note(text.length);
}

/**
 * What a model reads of an issue, pull request or comment: the text a person sees on GitHub, and
 * nothing a person cannot see. Hidden text is the usual carrier of prompt injection, because the
 * humans who approve a task never read it.
 *
 * Removed:
 * - invisible characters (zero-width, bidi controls, Unicode tags, variation selectors), everywhere;
 * - HTML comments (an unterminated one hides the rest of the text, as it does on GitHub), processing
 *   instructions, CDATA and declarations;
 * - elements hidden by `hidden`, a hiding `style`, or by being script/style/template/noscript, with
 *   everything inside them (an unclosed one hides the rest of the text);
 * - every HTML tag itself, since its attributes (`title`, `alt`, `data-*`) are not shown; the text
 *   between tags stays, so `<details>` content, which a reader can expand, stays;
 * - image alt text (`![alt](url)` becomes `![](url)`), link titles (`[text](url "title")` becomes
 *   `[text](url)`) and link reference definitions (`[//]: # (note)`), which render as nothing.
 *
 * Kept as typed: fenced code blocks and code spans, which GitHub shows literally, so an
 * `<!-- comment -->` inside them is visible and stays (invisible characters still go).
 */
export function cleanPromptText(markdown: string, options: PromptTextOptions): string {
  const normalised = removeInvisibleCharacters(markdown.replace(/\r\n?/g, "\n"));
  return capLength(visibleText(scanMarkdown(normalised)).trim(), options.maxChars);
}
