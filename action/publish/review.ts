import { httpStatus } from "../../core/github/http-status.ts";
import type { GitHub } from "../github/client.ts";
import type { ReviewComment } from "../tools/types.ts";
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

export function reviewBody(summary: string, outside: ReviewComment[], note?: string): string {
  const head = note ? `${summary}\n\n> ${note}` : summary;
  if (outside.length === 0) return head;
  const notes = outside
    .map((c) => `**\`${c.path}\` line ${c.line}**\n\n${commentBody(c)}`)
    .join("\n\n---\n\n");
  const title = note ? "Comments" : "Comments on lines outside this diff";
  return `${head}\n\n### ${title}\n\n${notes}`;
}

export interface PostedReview {
  url: string;
  inline: number;
  outside: number;
  /** The pull request's head moved while the review ran: every comment went into the body. */
  moved: boolean;
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * One review, `COMMENT` only: the agent never approves or requests changes. GitHub takes a review
 * whole or not at all (one comment on a line outside the diff of `commit_id` fails all of it with
 * 422), so the head and the diff are read again here, at publish time. When the head moved since
 * the agent read the code, its line numbers describe the old commit: the comments go into the body,
 * saying which commit they refer to. When GitHub still answers 422, the review is posted again with
 * every comment in its body rather than lost.
 */
export async function postReview(
  gh: GitHub,
  repo: { owner: string; name: string },
  number: number,
  reviewedSha: string,
  summary: string,
  comments: ReviewComment[],
  redact: (text: string) => string = (t) => t,
): Promise<PostedReview> {
  const target = { owner: repo.owner, repo: repo.name, pull_number: number };
  const { data: pull } = await gh.rest.pulls.get(target);
  const moved = pull.head.sha !== reviewedSha;
  const plan = moved
    ? { inline: [], outside: comments }
    : planReview(comments, await gh.paginate(gh.rest.pulls.listFiles, { ...target, per_page: 100 }));
  const note = moved
    ? `The pull request moved from ${short(reviewedSha)} to ${short(pull.head.sha)} while this review ran; the comments refer to ${short(reviewedSha)}.`
    : undefined;
  const send = (
    inline: InlineComment[],
    outside: ReviewComment[],
    commitId: string | undefined,
    why?: string,
  ) =>
    gh.rest.pulls.createReview({
      ...target,
      ...(commitId ? { commit_id: commitId } : {}),
      event: "COMMENT",
      body: redact(reviewBody(summary, outside, why)),
      comments: inline.map((c) => ({ ...c, body: redact(c.body) })),
    });
  try {
    const { data } = await send(plan.inline, plan.outside, reviewedSha, note);
    return { url: data.html_url, inline: plan.inline.length, outside: plan.outside.length, moved };
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    const why = `GitHub refused these comments inline (${(error as Error).message}); they are listed here.`;
    const { data } = await send([], comments, undefined, note ? `${note} ${why}` : why);
    return { url: data.html_url, inline: 0, outside: comments.length, moved };
  }
}
