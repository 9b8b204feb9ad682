import type { components } from "@octokit/openapi-types";
import type { IssueRecord, PullFields, ReviewCommentRecord, ReviewRecord } from "../state.ts";
import { labelShape } from "./issue.ts";
import { repositoryShape } from "./repository.ts";
import type { Urls } from "./urls.ts";
import { userShape } from "./user.ts";

export type PullRequest = components["schemas"]["pull-request"];
export type PullRequestSimple = components["schemas"]["pull-request-simple"];
export type Review = components["schemas"]["pull-request-review"];
export type ReviewComment = components["schemas"]["pull-request-review-comment"];

/** A pull request is an issue record with pull fields; this is that pairing made explicit. */
export type PullIssue = IssueRecord & { pull: PullFields };

export interface PullShas {
  head: string;
  base: string;
}

function pullFields(issue: PullIssue, urls: Urls, shas: PullShas) {
  const repo = issue.repo;
  const fullName = `${repo.owner.login}/${repo.name}`;
  const repoApi = `${urls.api}/repos/${fullName}`;
  const url = `${repoApi}/pulls/${issue.number}`;
  const html = `${urls.html}/${fullName}/pull/${issue.number}`;
  const branch = (ref: string, sha: string, on: typeof repo) => ({
    label: `${on.owner.login}:${ref}`,
    ref,
    sha,
    user: userShape(on.owner, urls),
    repo: repositoryShape(on, urls),
  });
  return {
    url,
    id: issue.id,
    node_id: `PR_${issue.id}`,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${issue.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${issue.number}/comments`,
    statuses_url: `${repoApi}/statuses/${shas.head}`,
    number: issue.number,
    state: issue.state,
    locked: false,
    title: issue.title,
    user: userShape(issue.user, urls),
    body: issue.body,
    // The simple pull shape declares label descriptions non-null.
    labels: issue.labels.map((name) => {
      const label = labelShape(repo.labels.get(name.toLowerCase())!, fullName, urls);
      return { ...label, description: label.description ?? "" };
    }),
    milestone: null,
    active_lock_reason: null,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    merged_at: issue.pull.mergedAt ?? null,
    merge_commit_sha: issue.pull.mergeCommitSha ?? null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(issue.pull.headRef, shas.head, issue.pull.headRepo ?? repo),
    base: branch(issue.pull.baseRef, shas.base, repo),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${repoApi}/issues/${issue.number}` },
      comments: { href: `${repoApi}/issues/${issue.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${repoApi}/statuses/${shas.head}` },
    },
    author_association: "MEMBER" as const,
    auto_merge: null,
    draft: issue.pull.draft,
  };
}

export function pullRequestSimpleShape(issue: PullIssue, urls: Urls, shas: PullShas): PullRequestSimple {
  return pullFields(issue, urls, shas);
}

export function pullRequestShape(
  issue: PullIssue,
  urls: Urls,
  shas: PullShas,
  counts: { comments: number; reviewComments: number; commits: number },
): PullRequest {
  return {
    ...pullFields(issue, urls, shas),
    merged: issue.pull.merged,
    mergeable: true,
    rebaseable: true,
    mergeable_state: "clean",
    merged_by: issue.pull.mergedBy ? userShape(issue.pull.mergedBy, urls) : null,
    comments: counts.comments,
    review_comments: counts.reviewComments,
    maintainer_can_modify: issue.pull.maintainerCanModify === true,
    commits: counts.commits,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function reviewShape(review: ReviewRecord, urls: Urls): Review {
  const fullName = `${review.pull.repo.owner.login}/${review.pull.repo.name}`;
  const pullApi = `${urls.api}/repos/${fullName}/pulls/${review.pull.number}`;
  const html = `${urls.html}/${fullName}/pull/${review.pull.number}`;
  return {
    id: review.id,
    node_id: `PRR_${review.id}`,
    user: userShape(review.user, urls),
    body: review.body,
    state: review.state,
    html_url: `${html}#pullrequestreview-${review.id}`,
    pull_request_url: pullApi,
    _links: { html: { href: `${html}#pullrequestreview-${review.id}` }, pull_request: { href: pullApi } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: "NONE",
  };
}

export function reviewCommentShape(comment: ReviewCommentRecord, urls: Urls): ReviewComment {
  const fullName = `${comment.pull.repo.owner.login}/${comment.pull.repo.name}`;
  const repoApi = `${urls.api}/repos/${fullName}`;
  const url = `${repoApi}/pulls/comments/${comment.id}`;
  const pullApi = `${repoApi}/pulls/${comment.pull.number}`;
  const html = `${urls.html}/${fullName}/pull/${comment.pull.number}#discussion_r${comment.id}`;
  return {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: `PRRC_${comment.id}`,
    diff_hunk: comment.diffHunk ?? "",
    path: comment.path,
    position: comment.line ?? undefined,
    original_position: comment.line ?? 1,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: userShape(comment.user, urls),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    html_url: html,
    pull_request_url: pullApi,
    author_association: "NONE",
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullApi } },
    start_line: comment.startLine,
    original_start_line: comment.startLine ?? undefined,
    start_side: comment.startLine === null ? null : comment.side,
    line: comment.line ?? undefined,
    original_line: comment.line ?? undefined,
    side: comment.side,
    subject_type: comment.line === null ? "file" : "line",
    ...(comment.inReplyTo ? { in_reply_to_id: comment.inReplyTo } : {}),
  };
}
