import { GitHubError } from "./errors.ts";
import type { DiffFile } from "./pull-diff.ts";

/**
 * Where a review comment may sit, and how GitHub refuses a review that breaks the rule.
 *
 * A review is created with all of its comments or not at all: one comment on a line outside the
 * diff of `commit_id` fails the whole request with 422 (REST "Create a review for a pull request",
 * `comments[].line`: "The line of the blob in the pull request diff that the comment applies to";
 * `commit_id`: "Not using the latest commit SHA may render your review comment outdated",
 * https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request). The answer is
 * `{"message":"Unprocessable Entity","errors":["<sentence>"]}`, the sentence joining each distinct
 * problem, as quoted from GitHub in danobi/prr#11 ("Pull request review thread line must be part of
 * the diff and Pull request review thread diff hunk can't be blank"), parkerbxyz/suggest-changes#64
 * (with "Pull request review thread start line must be part of the same hunk as the line.") and
 * villesau/ai-codereviewer#34 ("Pull request review thread path is invalid and ...").
 */
export interface DraftComment {
  path: string;
  line?: number;
  side?: string;
  start_line?: number;
  position?: number;
  body: string;
}

const PATH_INVALID = "Pull request review thread path is invalid";
const LINE_OUTSIDE = "Pull request review thread line must be part of the diff";
const START_OUTSIDE_HUNK = "Pull request review thread start line must be part of the same hunk as the line.";
const HUNK_BLANK = "Pull request review thread diff hunk can't be blank";

/** One line of a patch: its hunk (by index) and its number on each side it is a line of. */
interface PatchLine {
  text: string;
  hunk: number;
  header: boolean;
  left?: number;
  right?: number;
}

/**
 * The lines of a unified diff's patch in order, numbered from each hunk's `@@ -l +r @@` header:
 * context lines are on both sides, `-` lines on the left, `+` lines on the right, and a
 * "\ No newline at end of file" note is on neither (it is about the line before).
 */
function* patchLines(patch: string): Generator<PatchLine> {
  let hunk = -1;
  let left = 0;
  let right = 0;
  for (const text of patch.split("\n")) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (header) {
      hunk += 1;
      left = Number(header[1]);
      right = Number(header[2]);
      yield { text, hunk, header: true };
      continue;
    }
    if (hunk < 0) continue; // the file's header lines, before the first hunk
    if (text.startsWith("+")) yield { text, hunk, header: false, right: right++ };
    else if (text.startsWith("-")) yield { text, hunk, header: false, left: left++ };
    else if (text.startsWith(" ")) yield { text, hunk, header: false, left: left++, right: right++ };
    else yield { text, hunk, header: false };
  }
}

const numberOn = (line: PatchLine, side: "LEFT" | "RIGHT") => (side === "LEFT" ? line.left : line.right);

/** The hunk (by index) each line of one side falls in. */
function hunksOf(patch: string, side: "LEFT" | "RIGHT"): Map<number, number> {
  const hunks = new Map<number, number>();
  for (const line of patchLines(patch)) {
    const number = numberOn(line, side);
    if (number !== undefined) hunks.set(number, line.hunk);
  }
  return hunks;
}

/** The problems of one comment against the diff of the review's commit, in GitHub's words. */
export function placementProblems(comment: DraftComment, files: DiffFile[]): string[] {
  const file = files.find((f) => f.filename === comment.path);
  if (!file) return [PATH_INVALID, HUNK_BLANK];
  if (comment.line === undefined) return [];
  const hunks = hunksOf(file.patch, comment.side === "LEFT" ? "LEFT" : "RIGHT");
  const hunk = hunks.get(comment.line);
  if (hunk === undefined) return [LINE_OUTSIDE, HUNK_BLANK];
  if (comment.start_line !== undefined && hunks.get(comment.start_line) !== hunk) return [START_OUTSIDE_HUNK];
  return [];
}

/**
 * A line comment's `diff_hunk`: its hunk's header and the hunk's lines down to the commented one.
 * REST "Get a review comment for a pull request", `diff_hunk`: "The diff of the line that the
 * comment refers to" (https://docs.github.com/en/rest/pulls/comments#get-a-review-comment-for-a-pull-request);
 * GitHub's own example (`@octokit/webhooks-examples`, pull_request_review_comment.created) is the
 * header and the lines down to the comment's position: `"@@ -1 +1 @@\n-# Hello-World"` at position 1.
 */
export function diffHunkOf(comment: DraftComment, files: DiffFile[]): string {
  const file = files.find((f) => f.filename === comment.path);
  if (!file || comment.line === undefined) return "";
  const side = comment.side === "LEFT" ? "LEFT" : "RIGHT";
  let hunk: string[] = [];
  for (const line of patchLines(file.patch)) {
    if (line.header) hunk = [];
    hunk.push(line.text);
    if (numberOn(line, side) === comment.line) return hunk.join("\n");
  }
  return "";
}

/** Rails' `to_sentence`: "a", "a and b", "a, b, and c". */
function toSentence(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
  return `${parts.slice(0, -1).join(", ")}, and ${parts.at(-1)}`;
}

/** Throws GitHub's 422 when any comment of the review is misplaced: the review is all or nothing. */
export function checkReviewComments(comments: DraftComment[], files: DiffFile[]): void {
  const problems = [...new Set(comments.flatMap((comment) => placementProblems(comment, files)))];
  if (problems.length > 0) throw new GitHubError(422, "Unprocessable Entity", [toSentence(problems)]);
}
