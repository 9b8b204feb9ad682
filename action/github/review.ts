import type { ReviewComment } from "../agent/types.ts";
import type { GitHub } from "./client.ts";
import { commentableLines } from "./diff-lines.ts";

export interface InlineComment {
  path: string;
  line: number;
  side: "RIGHT";
  body: string;
}

/** A fence longer than any backtick run in the text, so a suggestion cannot close it early. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

export function commentBody(comment: ReviewComment): string {
  if (comment.suggestion === undefined) return comment.body;
  const f = fence(comment.suggestion);
  return `${comment.body}\n\n${f}suggestion\n${comment.suggestion.replace(/\n$/, "")}\n${f}`;
}

export interface PlannedReview {
  inline: InlineComment[];
  /** Comments on lines outside the diff: GitHub refuses those inline, so they go in the review body. */
  outside: ReviewComment[];
}

export function planReview(
  comments: ReviewComment[],
  files: { filename: string; patch?: string }[],
): PlannedReview {
  const lines = new Map(files.map((f) => [f.filename, commentableLines(f.patch)]));
  const plan: PlannedReview = { inline: [], outside: [] };
  for (const comment of comments) {
    if (lines.get(comment.path)?.has(comment.line)) {
      plan.inline.push({ path: comment.path, line: comment.line, side: "RIGHT", body: commentBody(comment) });
    } else plan.outside.push(comment);
  }
  return plan;
}

export function reviewBody(summary: string, outside: ReviewComment[]): string {
  if (outside.length === 0) return summary;
  const notes = outside
    .map((c) => `**\`${c.path}\` line ${c.line}**\n\n${commentBody(c)}`)
    .join("\n\n---\n\n");
  return `${summary}\n\n### Comments on lines outside this diff\n\n${notes}`;
}

/** One review, `COMMENT` only: the agent never approves or requests changes. */
export async function postReview(
  gh: GitHub,
  repo: { owner: string; name: string },
  number: number,
  headSha: string,
  summary: string,
  comments: ReviewComment[],
  redact: (text: string) => string = (t) => t,
): Promise<{ url: string; inline: number; outside: number }> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    owner: repo.owner,
    repo: repo.name,
    pull_number: number,
    per_page: 100,
  });
  const plan = planReview(comments, files);
  const { data } = await gh.rest.pulls.createReview({
    owner: repo.owner,
    repo: repo.name,
    pull_number: number,
    commit_id: headSha,
    event: "COMMENT",
    body: redact(reviewBody(summary, plan.outside)),
    comments: plan.inline.map((c) => ({ ...c, body: redact(c.body) })),
  });
  return { url: data.html_url, inline: plan.inline.length, outside: plan.outside.length };
}
