import { decodeHTML } from "entities";
import { isInvisibleCodePoint } from "./invisible-characters.ts";

/**
 * A text as a secret matcher should read it: what survives the tricks that hide a secret from a
 * plain search but not from a reader or a decoder. Every view character remembers the span of the
 * original text it came from, so a match in the view redacts exactly that span of the original.
 *
 * - invisible characters and every kind of whitespace and line break are dropped (a secret split
 *   over lines or with zero-width characters inserted);
 * - HTML comments are dropped, as GitHub's renderer hides them (a secret broken by `<!-- -->`);
 * - HTML character references are decoded with the `entities` package (`&#103;`, `&#x67;`, `&amp;`);
 * - percent-escapes of ASCII bytes are decoded (`%67`);
 * - letters are lower-cased, so hex in either case and case games match one form.
 *
 * Linear in the text: one pass, printable ASCII on a fast path, typed arrays for the spans.
 */
export interface SecretView {
  text: string;
  /** For view character i, the original text's span [start[i], end[i]). */
  start: Int32Array;
  end: Int32Array;
}

const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/y;
const PERCENT = /%[0-9a-fA-F]{2}/y;
const WHITESPACE = /^\s$/u;
const utf16 = new TextDecoder("utf-16le");

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

class ViewBuilder {
  codes: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.codes = new Uint16Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }

  unit(code: number, start: number, end: number): void {
    if (this.length === this.codes.length) this.grow();
    this.codes[this.length] = code;
    this.start[this.length] = start;
    this.end[this.length] = end;
    this.length++;
  }

  /** Characters from outside the fast path: dropped when invisible or whitespace, else lower-cased. */
  chars(chars: string, start: number, end: number): void {
    for (const ch of chars) {
      if (isInvisibleCodePoint(ch.codePointAt(0)!) || WHITESPACE.test(ch)) continue;
      const lower = ch.toLowerCase();
      for (let k = 0; k < lower.length; k++) this.unit(lower.charCodeAt(k), start, end);
    }
  }

  private grow(): void {
    const size = this.codes.length * 2 + 16;
    const codes = new Uint16Array(size);
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    codes.set(this.codes);
    start.set(this.start);
    end.set(this.end);
    Object.assign(this, { codes, start, end });
  }

  view(): SecretView {
    const n = this.length;
    const bytes = new Uint8Array(this.codes.buffer, 0, n * 2);
    return { text: utf16.decode(bytes), start: this.start.subarray(0, n), end: this.end.subarray(0, n) };
  }
}

const LT = 0x3c;
const AMP = 0x26;
const PERCENT_SIGN = 0x25;

export function secretView(text: string): SecretView {
  const out = new ViewBuilder(text.length + 16);
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code > 0x20 && code < 0x7f && code !== LT && code !== AMP && code !== PERCENT_SIGN) {
      out.unit(code >= 0x41 && code <= 0x5a ? code + 32 : code, i, i + 1);
      i++;
      continue;
    }
    if (code <= 0x20 || code === 0x7f) {
      i++; // ASCII whitespace and controls
      continue;
    }
    if (code === LT && text.startsWith("<!--", i)) {
      const close = text.indexOf("-->", i + 4);
      i = close === -1 ? text.length : close + 3;
      continue;
    }
    const entity = code === AMP ? matchAt(ENTITY, text, i) : undefined;
    if (entity) {
      const decoded = decodeHTML(entity);
      if (decoded !== entity) {
        out.chars(decoded, i, i + entity.length);
        i += entity.length;
        continue;
      }
    }
    const percent = code === PERCENT_SIGN ? matchAt(PERCENT, text, i) : undefined;
    if (percent && Number.parseInt(percent.slice(1), 16) < 0x80) {
      out.chars(String.fromCharCode(Number.parseInt(percent.slice(1), 16)), i, i + 3);
      i += 3;
      continue;
    }
    const width = (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    out.chars(text.slice(i, i + width), i, i + width);
    i += width;
  }
  return out.view();
}

/** A secret (or one of its encoded forms) as it reads in a view. */
export function normaliseForView(form: string): string {
  return secretView(form).text;
}
