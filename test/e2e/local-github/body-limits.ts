import { GitHubError } from "./errors.ts";

/**
 * GitHub stores issue, pull request, comment and review bodies of at most 65,536 characters and
 * answers a longer one with 422 Validation Failed, `code: custom`, "body is too long (maximum is
 * 65536 characters)" (the limit: https://github.com/dead-claudia/github-limits#issue-description;
 * the answer as GitHub gives it: https://github.com/dtschust/redux-bug-reporter/issues/27).
 * Characters are counted as code points, not UTF-16 units.
 */
export const GITHUB_BODY_LIMIT = 65_536;

/** The routes with a body field, and the resource GitHub names in the error. */
const BODY_FIELDS: Record<string, string> = {
  "POST /repos/{owner}/{repo}/issues": "Issue",
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": "Issue",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": "IssueComment",
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": "IssueComment",
  "POST /repos/{owner}/{repo}/pulls": "PullRequest",
  "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": "PullRequest",
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": "PullRequestReview",
};

const tooLong = (resource: string, field: string): GitHubError =>
  new GitHubError(422, "Validation Failed", [
    {
      resource,
      code: "custom",
      field,
      message: `${field} is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`,
    },
  ]);

const length = (text: unknown): number => (typeof text === "string" ? [...text].length : 0);

/** Throws GitHub's 422 when a body on `route` is over the limit (a review's inline comments too). */
export function checkBodyLengths(route: string, body: unknown): void {
  const resource = BODY_FIELDS[route];
  if (!resource || typeof body !== "object" || body === null) return;
  const fields = body as { body?: unknown; comments?: { body?: unknown }[] };
  if (length(fields.body) > GITHUB_BODY_LIMIT) throw tooLong(resource, "body");
  for (const comment of Array.isArray(fields.comments) ? fields.comments : []) {
    if (length(comment?.body) > GITHUB_BODY_LIMIT) throw tooLong("PullRequestReviewComment", "body");
  }
}
