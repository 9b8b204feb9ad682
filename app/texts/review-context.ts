import type { ReviewCommentCreated } from "../deps/payloads.ts";

/** GitHub's diff hunk of a line comment can be long; the lines around the comment are what matter. */
const HUNK_LINES = 30;

/**
 * What the agent reads about where it was asked: the file and lines a diff comment is on, with the
 * end of its diff hunk, or the review it was asked in. It goes into the task's instructions, which
 * the action cleans like any text for the model (`core/prompt-text.ts`).
 */
export function lineCommentContext(comment: ReviewCommentCreated["comment"], by: string): string {
  const line = comment.line ?? comment.original_line ?? undefined;
  const start = comment.start_line ?? undefined;
  const where =
    line === undefined
      ? `the file \`${comment.path}\``
      : start !== undefined && start !== line
        ? `\`${comment.path}\` lines ${start}–${line}`
        : `\`${comment.path}\` line ${line}`;
  const parts = [
    `Asked by @${by} in a review comment on ${where} of this pull request${comment.in_reply_to_id ? " (a reply in a review thread)" : ""}:`,
    quote(comment.body),
  ];
  const hunk = comment.diff_hunk?.trim();
  if (hunk) {
    const tail = hunk.split("\n").slice(-HUNK_LINES).join("\n").replaceAll("```", "'''");
    parts.push(`The diff there:\n\n\`\`\`diff\n${tail}\n\`\`\``);
  }
  parts.push(`Change what the comment asks for at ${where}; keep the rest of the pull request as it is.`);
  return parts.join("\n\n");
}

export function reviewContext(body: string, by: string, state: string): string {
  return [
    `Asked by @${by} in a pull request review (${state.toLowerCase().replaceAll("_", " ")}):`,
    quote(body),
  ].join("\n\n");
}

function quote(text: string): string {
  return text
    .trim()
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
}
