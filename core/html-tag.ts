/**
 * Reads one raw HTML tag the way CommonMark does (a tag name, attributes, optional `/`), and says
 * whether the element hides its content from a reader. Used by the prompt-text cleaner.
 */

export type HtmlTag =
  | { kind: "open"; name: string; end: number; hides: boolean; isVoid: boolean }
  | { kind: "close"; name: string; end: number };

// CommonMark's attribute grammar. Each part is a disjoint character class, so a failed match
// backtracks linearly: a long run of text after '<' cannot make this quadratic.
const ATTRIBUTE = String.raw`\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>\x60]+))?`;
const OPEN_TAG = new RegExp(String.raw`<([A-Za-z][A-Za-z0-9-]*)((?:${ATTRIBUTE})*)\s*(\/?)>`, "y");
const CLOSE_TAG = /<\/([A-Za-z][A-Za-z0-9-]*)\s*>/y;
const ONE_ATTRIBUTE = /([A-Za-z_:][\w.:-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

/** Elements without content: a hidden one hides nothing beyond its own attributes. */
const VOID_ELEMENTS = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/** Elements whose content a browser never shows as text. */
const NEVER_RENDERED = new Set(["script", "style", "template", "noscript"]);

const HIDING_STYLE =
  /display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?![.\d]*[1-9])/i;

/** Browsers decode character references in attribute values; `display&#58;none` still hides. */
function decodeNumericReferences(value: string): string {
  return value.replace(/&#(x[0-9a-f]+|\d+);?/gi, (_, code: string) => {
    const point = code[0] === "x" || code[0] === "X" ? Number.parseInt(code.slice(1), 16) : Number(code);
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : "";
  });
}

function attributesHide(attributes: string): boolean {
  for (const [, name = "", rawValue = ""] of attributes.matchAll(ONE_ATTRIBUTE)) {
    const attribute = name.toLowerCase();
    if (attribute === "hidden") return true;
    const value = decodeNumericReferences(rawValue.replace(/^["']|["']$/g, ""));
    if (attribute === "style" && HIDING_STYLE.test(value)) return true;
  }
  return false;
}

/** The tag starting at `position` (which holds '<'), or undefined when the text there is not a tag. */
export function readHtmlTag(text: string, position: number): HtmlTag | undefined {
  CLOSE_TAG.lastIndex = position;
  const close = CLOSE_TAG.exec(text);
  if (close) return { kind: "close", name: close[1]!.toLowerCase(), end: CLOSE_TAG.lastIndex };
  OPEN_TAG.lastIndex = position;
  const open = OPEN_TAG.exec(text);
  if (!open) return undefined;
  const name = open[1]!.toLowerCase();
  return {
    kind: "open",
    name,
    end: OPEN_TAG.lastIndex,
    hides: NEVER_RENDERED.has(name) || attributesHide(open[2] ?? ""),
    // `<div hidden />` still opens a div in HTML: only void elements close themselves.
    isVoid: VOID_ELEMENTS.has(name),
  };
}
