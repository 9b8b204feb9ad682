import type { PullIssue } from "./shapes/pull.ts";
import type { GitHubState, IssueRecord } from "./state.ts";

/**
 * GitHub closes the issues a pull request names with a closing keyword when it is merged into the
 * default branch ("Linking a pull request to an issue",
 * https://docs.github.com/en/issues/tracking-your-work-with-issues/using-issues/linking-a-pull-request-to-an-issue):
 * close, closes, closed, fix, fixes, fixed, resolve, resolves, resolved, then `#N` (a colon after the
 * keyword is allowed), in the pull request's description; the keywords are not case-sensitive, and
 * a merge into any other branch closes nothing. Issues of the same repository only (`owner/repo#N`
 * of another repository is not modelled). Written here from the docs, not shared with
 * `action/eval/closing-keywords.ts`, so the double does not agree with the code by construction.
 */
const KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+#(\d+)\b/gi;

export function closeLinkedIssues(state: GitHubState, pull: PullIssue, at: string): IssueRecord[] {
  if (pull.pull.baseRef !== pull.repo.defaultBranch) return [];
  const numbers = new Set([...(pull.body ?? "").matchAll(KEYWORD)].map((m) => Number(m[1])));
  const closed: IssueRecord[] = [];
  for (const number of numbers) {
    const issue = state.issue(pull.repo, number);
    if (!issue || issue.pull || issue.state === "closed") continue;
    issue.state = "closed";
    issue.closedAt = at;
    issue.updatedAt = at;
    closed.push(issue);
  }
  return closed;
}
