import { git } from "../workspace/git.ts";
import { rightSideHunks } from "./diff-lines.ts";

/** One review suggestion: lines `startLine`..`line` of the pull request's head become `lines`. */
export interface Suggestion {
  path: string;
  startLine: number;
  line: number;
  lines: string[];
}

export type SuggestionPlan = { ok: true; suggestions: Suggestion[] } | { ok: false; reason: string };

/** More than this many suggestions is no longer a review anyone applies one by one: the patch is posted. */
export const MAX_SUGGESTIONS = 50;

interface Hunk {
  oldStart: number;
  oldLength: number;
  added: string[];
}

/** The hunks of one file's `git diff -U0`; a string when a hunk cannot be read as plain line edits. */
export function zeroContextHunks(patch: string): Hunk[] | string {
  const hunks: Hunk[] = [];
  for (const line of patch.split("\n")) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (header) {
      hunks.push({ oldStart: Number(header[1]), oldLength: Number(header[2] ?? 1), added: [] });
    } else if (line.startsWith("\\")) {
      return "it changes whether a file ends with a newline";
    } else if (line.startsWith("+") && !line.startsWith("+++") && hunks.length > 0) {
      hunks.at(-1)!.added.push(line.slice(1));
    }
  }
  return hunks;
}

/**
 * Turns one hunk into the lines it replaces and what replaces them. A pure insertion (`-n,0`) has
 * no line of its own, so it is anchored on the line before it (or, at the top, the first line) and
 * that line is repeated in the suggestion.
 */
export function hunkSuggestion(path: string, hunk: Hunk, old: string[]): Suggestion {
  if (hunk.oldLength > 0) {
    return {
      path,
      startLine: hunk.oldStart,
      line: hunk.oldStart + hunk.oldLength - 1,
      lines: hunk.added,
    };
  }
  if (hunk.oldStart > 0) {
    const anchor = old[hunk.oldStart - 1] ?? "";
    return { path, startLine: hunk.oldStart, line: hunk.oldStart, lines: [anchor, ...hunk.added] };
  }
  return { path, startLine: 1, line: 1, lines: [...hunk.added, old[0] ?? ""] };
}

const DIFF = ["diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames"];

/**
 * Whether the staged change (against `base`, the pull request's head) can be posted as review
 * suggestions: every file only edited (not added, deleted, renamed, binary or re-moded), every
 * edited range inside one hunk of the pull request's own diff (GitHub refuses review comments
 * elsewhere), and not more than `MAX_SUGGESTIONS`. Otherwise says why, for the patch comment.
 */
export async function planSuggestions(
  dir: string,
  base: string,
  pullFiles: { filename: string; patch?: string }[],
): Promise<SuggestionPlan> {
  const status = (await git(["-C", dir, ...DIFF, "--name-status", "-z", base])).stdout.split("\0");
  const suggestions: Suggestion[] = [];
  const patches = new Map(pullFiles.map((file) => [file.filename, file.patch]));
  for (let i = 0; i + 1 < status.length; i += 2) {
    const [kind, path] = [status[i]!, status[i + 1]!];
    if (kind !== "M") {
      const what = kind === "A" ? "adds" : kind === "D" ? "deletes" : "changes the type of";
      return { ok: false, reason: `the change ${what} \`${path}\`, which a suggestion cannot express` };
    }
    const patch = (await git(["-C", dir, ...DIFF, "-U0", base, "--", path])).stdout;
    if (/^(Binary files|GIT binary patch|old mode|new mode)/m.test(patch)) {
      return {
        ok: false,
        reason: `\`${path}\` is binary or changes mode, which a suggestion cannot express`,
      };
    }
    const hunks = zeroContextHunks(patch);
    if (typeof hunks === "string") return { ok: false, reason: `in \`${path}\` ${hunks}` };
    const inPull = rightSideHunks(patches.get(path));
    if (inPull.size === 0) {
      return {
        ok: false,
        reason: `the change touches \`${path}\` where the pull request changes nothing, and GitHub takes suggestions only on lines of the pull request's diff`,
      };
    }
    const old = (await git(["-C", dir, "show", `${base}:${path}`])).stdout.split("\n");
    for (const hunk of hunks) {
      const suggestion = hunkSuggestion(path, hunk, old);
      const first = inPull.get(suggestion.startLine);
      if (first === undefined || first !== inPull.get(suggestion.line)) {
        return {
          ok: false,
          reason: `lines ${suggestion.startLine}–${suggestion.line} of \`${path}\` lie outside the pull request's diff, where GitHub takes no suggestions`,
        };
      }
      suggestions.push(suggestion);
    }
  }
  if (suggestions.length > MAX_SUGGESTIONS) {
    return {
      ok: false,
      reason: `the change is ${suggestions.length} separate edits, too many to suggest one by one`,
    };
  }
  return { ok: true, suggestions };
}

/** The staged change against `base` as a patch `git apply` takes. */
export async function stagedPatch(dir: string, base: string): Promise<string> {
  return (await git(["-C", dir, ...DIFF, "--binary", base])).stdout;
}
