/**
 * Characters a reader never sees but a model reads: they can spell out instructions (Unicode tags,
 * variation selectors used for "emoji smuggling") or reorder what a reviewer sees (bidi controls,
 * the "Trojan Source" trick). None of them carries meaning a model needs, so they go everywhere,
 * code blocks included.
 */
const INVISIBLE = new RegExp(
  [
    "[\\u200B-\\u200F]", // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "[\\u202A-\\u202E]", // bidi embeddings and overrides
    "[\\u2060-\\u2064]", // word joiner and invisible math operators
    "[\\u2066-\\u2069]", // bidi isolates
    "\\u061C", // Arabic letter mark
    "\\u00AD", // soft hyphen
    "\\u180E", // Mongolian vowel separator
    "\\uFEFF", // zero-width no-break space (byte order mark)
    "[\\uFE00-\\uFE0F]", // variation selectors: 16 of the 256 values that smuggle a byte each
    "[\\u{E0100}-\\u{E01EF}]", // variation selectors supplement: the other 240
    "[\\u{E0000}-\\u{E007F}]", // Unicode tags: invisible ASCII look-alikes
    // C0 and C1 controls except tab and newline (carriage returns are normalised before this runs).
    "[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]",
  ].join("|"),
  "gu",
);

export function removeInvisibleCharacters(text: string): string {
  return text.replace(INVISIBLE, "");
}

const INVISIBLE_ONE = new RegExp(`^(?:${INVISIBLE.source})$`, "u");

/** Whether one code point is among the characters removeInvisibleCharacters drops. */
export function isInvisibleCodePoint(code: number): boolean {
  return INVISIBLE_ONE.test(String.fromCodePoint(code));
}
