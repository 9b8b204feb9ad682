/**
 * GitHub stores issue, pull request, comment and review bodies of at most 65,536 characters (code
 * points) and refuses longer ones with 422. Everything the App and the action write is fitted here
 * first, so an over-long model summary costs the reader the tail of a text, never the PR or review.
 */
export const GITHUB_BODY_MAX_CHARS = 65_536;

export interface FittedBody {
  body: string;
  /** Characters of the text before it was cut; undefined when it fitted. */
  cutFrom?: number;
}

const chars = (text: string): number => [...text].length;

/**
 * Keeps the start of `text` and ends it with `notice` when it is longer than `limit` characters.
 * The cut never splits a surrogate pair, and an open code fence is closed so the notice renders.
 */
export function fitGitHubBody(text: string, notice: string, limit = GITHUB_BODY_MAX_CHARS): FittedBody {
  const length = chars(text);
  if (length <= limit) return { body: text };
  const ending = `\n\n…\n\n${notice}`;
  let kept = [...text].slice(0, Math.max(0, limit - chars(ending) - 8)).join("");
  if ((kept.match(/^(`{3,}|~{3,})/gm) ?? []).length % 2 === 1) kept = `${kept}\n\`\`\``;
  return { body: `${kept}${ending}`, cutFrom: length };
}
