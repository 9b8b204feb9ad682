/**
 * The glob syntax a repository may use in `.github/agent.yml` (protected paths), checked before
 * anything is compiled: what picomatch would read differently from what a person expects is
 * refused, and so is anything that could make matching slow. Every refusal names the fix.
 *
 * Supported: literal text, `*` (within one path segment), `**` (a whole segment: any depth),
 * `?`, classes `[abc]`, `[a-z]`, `[!a]`, `[[:digit:]]`, alternatives `{a,b}` (nested too, within
 * one segment), and `\` escapes.
 */

export const GLOB_LIMITS = {
  /** Characters in one pattern. */
  patternChars: 256,
  /** Path segments in one pattern. */
  segments: 32,
  /**
   * `*` runs along any one expansion of a segment's `{…}` alternatives. One keeps a segment test
   * linear in the name's length (a lazy star, then fixed text); two make it quadratic, which is
   * what a pathological pattern exploits.
   */
  starsPerSegment: 1,
  /**
   * Segment tests one pattern costs per path name: the expansions of its `{…}` alternatives,
   * summed over its segments (`**` costs nothing). `.github/{workflows,actions}/**` costs 3.
   */
  work: 32,
  /** Patterns in one list (`protectedPaths`). */
  patterns: 64,
} as const;

export interface PatternSegment {
  /** The segment's text as written (a `**` segment is the globstar). */
  text: string;
  globstar: boolean;
}

export class GlobSyntaxError extends Error {
  override name = "GlobSyntaxError";
}

const fail = (message: string): never => {
  throw new GlobSyntaxError(message);
};

/** Splits a pattern into path segments, refusing what the supported syntax does not cover. */
export function splitPattern(pattern: string): PatternSegment[] {
  if (pattern.length > GLOB_LIMITS.patternChars) {
    fail(`is ${pattern.length} characters long; a pattern may have at most ${GLOB_LIMITS.patternChars}`);
  }
  if (pattern.startsWith("!")) {
    fail("starts with '!': negated patterns are not supported; list the paths to protect instead");
  }
  const body = pattern.replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  if (body === "") fail("names no path; write a path such as .github/workflows/**");
  const texts = splitOnSlashes(body);
  if (texts.length > GLOB_LIMITS.segments) {
    fail(`has ${texts.length} path segments; a pattern may have at most ${GLOB_LIMITS.segments}`);
  }
  let work = 0;
  const segments = texts.map((text) => {
    if (text === "") fail("has an empty path segment ('//'); remove the extra '/'");
    if (text === "." || text === "..")
      fail(`has a '${text}' segment; write the path from the repository root`);
    if (text !== "**") work += checkSegment(text);
    return { text, globstar: text === "**" };
  });
  if (work > GLOB_LIMITS.work) {
    fail(
      `expands to ${work} segment tests ({…} alternatives over its segments); at most ${GLOB_LIMITS.work}: split it into several patterns`,
    );
  }
  return segments;
}

/** `/` splits segments only outside `[…]` and `{…}`, where it is refused. */
function splitOnSlashes(body: string): string[] {
  const segments: string[] = [];
  let current = "";
  let braces = 0;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\") {
      current += body.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) inClass = ch !== "]" || current.endsWith("[") || current.endsWith("[!");
    else if (ch === "[") inClass = true;
    else if (ch === "{") braces++;
    else if (ch === "}") braces = Math.max(0, braces - 1);
    if (ch === "/" && (braces > 0 || inClass)) {
      fail("has a '/' inside {…} or […]; write one pattern per path instead, such as a/** and b/c/**");
    }
    if (ch === "/" && braces === 0) {
      segments.push(current);
      current = "";
    } else current += ch;
  }
  segments.push(current);
  return segments;
}

/** A segment's cost in segment tests; refuses the syntax picomatch would read as regex. */
function checkSegment(text: string): number {
  if (text.includes("**")) {
    fail(`has '**' inside the segment '${text}'; '**' matches any depth only as a whole segment (a/**/b)`);
  }
  const { stars, expansions } = sequence(text, 0, 0);
  if (stars > GLOB_LIMITS.starsPerSegment) {
    fail(
      `has ${stars} '*' in the segment '${text}'; a segment may hold at most ${GLOB_LIMITS.starsPerSegment} along any {…} alternative, so matching stays linear (protect the directory instead, or list the names)`,
    );
  }
  return expansions;
}

interface Cost {
  /** The most `*` runs along any one expansion. */
  stars: number;
  /** How many expansions the `{…}` groups make. */
  expansions: number;
  /** Index of the character that ended the run (a `,` or `}` inside a group, or the end). */
  end: number;
}

/** Reads from `start` until the end, or until a `,` or `}` that closes an alternative at `depth` > 0. */
function sequence(text: string, start: number, depth: number): Cost {
  let stars = 0;
  let expansions = 1;
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\") i += 2;
    else if (ch === "[") i = classEnd(text, i);
    else if (ch === "(" || ch === ")" || ch === "|") {
      fail(
        `has '${ch}', which picomatch reads as a regular-expression group; use {a,b} for alternatives, or write '\\${ch}' for the character itself`,
      );
    } else if (ch === "*") {
      stars++;
      while (text[i] === "*") i++;
    } else if (ch === "{") {
      const group = braceGroup(text, i, depth + 1);
      stars += group.stars;
      expansions *= group.expansions;
      i = group.end;
    } else if (depth > 0 && (ch === "," || ch === "}")) return { stars, expansions, end: i };
    else i++;
  }
  if (depth > 0) fail("has a '{' without its '}'; close it, or write '\\{' for the character itself");
  return { stars, expansions, end: i };
}

/** One `{…}` group: the most stars of its alternatives, the sum of their expansions. */
function braceGroup(text: string, open: number, depth: number): Cost {
  let stars = 0;
  let expansions = 0;
  let i = open + 1;
  for (;;) {
    const alternative = sequence(text, i, depth);
    if (text.slice(i, alternative.end).includes("..")) {
      fail("has a {a..b} range, which is not supported; list the values: {1,2,3}");
    }
    stars = Math.max(stars, alternative.stars);
    expansions += alternative.expansions;
    if (text[alternative.end] === "}") return { stars, expansions, end: alternative.end + 1 };
    i = alternative.end + 1;
  }
}

/** The index after a `[…]` class; an unclosed `[` is refused, as picomatch's strict mode would. */
function classEnd(text: string, open: number): number {
  let i = open + 1;
  if (text[i] === "!" || text[i] === "^") i++;
  if (text[i] === "]") i++;
  while (i < text.length && text[i] !== "]") {
    if (text[i] === "[" && text[i + 1] === ":") {
      const close = text.indexOf(":]", i + 2);
      if (close > 0) i = close + 1;
    }
    i++;
  }
  if (i >= text.length) fail("has a '[' without its ']'; close it, or write '\\[' for the character itself");
  return i + 1;
}
