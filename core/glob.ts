/**
 * Globs a repository supplies (`protectedPaths` in `.github/agent.yml`), matched the same way by
 * the App's config check and the action's publish policy. picomatch compiles one path segment at
 * a time; the segments are matched left to right with `**` taking any number of whole segments,
 * so the work is (pattern segments × path segments) segment tests, each bounded by the syntax
 * limits in glob-syntax.ts. No backtracking across `/` is left to the regular-expression engine.
 *
 * Meaning, as gitignore has taught people to expect:
 * - a pattern with a `/` is anchored at the repository root (a leading `/` or `./` changes nothing);
 *   a pattern without one matches a name at any depth (`*.pem` is `**\/*.pem`);
 * - a pattern that matches a directory matches everything under it (`.github/workflows` and
 *   `.github/workflows/` protect what is inside; `**` at the end changes nothing);
 * - `*` and `?` match names starting with a dot too: a protected path fails closed.
 */
import picomatch from "picomatch";
import { GlobSyntaxError, type PatternSegment, splitPattern } from "./glob-syntax.ts";

export { GLOB_LIMITS, GlobSyntaxError } from "./glob-syntax.ts";

/** Paths longer than a file system can create are never matched: the caller refuses them. */
export const PATH_LIMITS = { bytes: 4096, segmentBytes: 255 } as const;

const PICOMATCH_OPTIONS = {
  dot: true,
  posix: true,
  literalBrackets: false,
  strictBrackets: true,
  noextglob: true,
  nonegate: true,
  windows: false,
} as const;

type SegmentTest = ((name: string) => boolean) | "globstar";

export interface CompiledGlob {
  pattern: string;
  /** True when the path, or a directory above it, matches. */
  matches(path: string): boolean;
}

export class PathTooLongError extends Error {
  override name = "PathTooLongError";
}

/** Why `pattern` cannot be used (a sentence to follow "pattern …"), or undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  try {
    compileGlob(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof GlobSyntaxError) return error.message;
    throw error;
  }
}

export function compileGlob(pattern: string): CompiledGlob {
  const tests = segmentTests(pattern);
  return { pattern, matches: (path) => matchSegments(tests, splitPath(path)) };
}

/** The first pattern that protects `path`, or undefined. Throws PathTooLongError past PATH_LIMITS. */
export function compileGlobs(patterns: readonly string[]): (path: string) => string | undefined {
  const globs = patterns.map((pattern) => ({ pattern, tests: segmentTests(pattern) }));
  return (path) => {
    const names = splitPath(path);
    return globs.find((glob) => matchSegments(glob.tests, names))?.pattern;
  };
}

function segmentTests(pattern: string): SegmentTest[] {
  const segments = splitPattern(pattern);
  const anchored = segments.length > 1 || /^\.?\//.test(pattern);
  return (anchored ? segments : [GLOBSTAR, ...segments]).map(segmentTest);
}

const GLOBSTAR: PatternSegment = { text: "**", globstar: true };

/** Characters that make a segment more than its literal text. */
const GLOB_CHARS = /[*?[\]{}\\]/;

function segmentTest(segment: PatternSegment): SegmentTest {
  if (segment.globstar) return "globstar";
  if (!GLOB_CHARS.test(segment.text)) return (name) => name === segment.text;
  let regex: RegExp;
  try {
    regex = picomatch.makeRe(segment.text, PICOMATCH_OPTIONS);
  } catch (error) {
    throw new GlobSyntaxError(`cannot be read: ${(error as Error).message}`);
  }
  return (name) => regex.test(name);
}

/** True for a path no file system holds: matching it is refused, and the policy refuses the change. */
export function pathTooLong(path: string): boolean {
  return (
    Buffer.byteLength(path, "utf8") > PATH_LIMITS.bytes ||
    path.split("/").some((name) => Buffer.byteLength(name, "utf8") > PATH_LIMITS.segmentBytes)
  );
}

function splitPath(path: string): string[] {
  if (pathTooLong(path)) {
    throw new PathTooLongError(
      `the path ${JSON.stringify(path.slice(0, 80))}… is longer than ${PATH_LIMITS.bytes} bytes or has a name longer than ${PATH_LIMITS.segmentBytes}; refuse it before matching`,
    );
  }
  return path.split("/").filter((name) => name !== "");
}

/**
 * `reached[j]`: the pattern's segments so far match the path's first j names. A globstar reaches
 * every j at or after the first reached one; any other segment moves j by one where it matches.
 * The pattern protects the path when it reaches the path itself or any directory above it.
 */
function matchSegments(tests: SegmentTest[], names: string[]): boolean {
  let reached = new Uint8Array(names.length + 1);
  reached[0] = 1;
  for (const test of tests) {
    const next = new Uint8Array(names.length + 1);
    let any = 0;
    if (test === "globstar") {
      for (let j = 0; j < reached.length; j++) any = next[j] = any | reached[j]!;
    } else {
      for (let j = 0; j < names.length; j++) {
        if (reached[j] && test(names[j]!)) any = next[j + 1] = 1;
      }
    }
    if (!any) return false;
    reached = next;
  }
  return reached.subarray(1).includes(1);
}
