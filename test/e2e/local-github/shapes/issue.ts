import type { components } from "@octokit/openapi-types";
import type { CommentRecord, IssueRecord, LabelRecord, ReactionRecord } from "../state.ts";
import { type InstallationRecord, integrationShape } from "./installation.ts";
import { repositoryShape } from "./repository.ts";
import type { Urls } from "./urls.ts";
import { userShape } from "./user.ts";

export type Issue = components["schemas"]["issue"];
export type IssueComment = components["schemas"]["issue-comment"];
export type Reaction = components["schemas"]["reaction"];
export type Label = components["schemas"]["label"];

const emptyReactions = (url: string): components["schemas"]["reaction-rollup"] => ({
  url,
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  confused: 0,
  heart: 0,
  hooray: 0,
  eyes: 0,
  rocket: 0,
});

export function labelShape(label: LabelRecord, repoFullName: string, urls: Urls): Label {
  return {
    id: label.id,
    node_id: `LA_${label.id}`,
    url: `${urls.api}/repos/${repoFullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: false,
  };
}

export function issueShape(issue: IssueRecord, urls: Urls, commentCount: number): Issue {
  const fullName = `${issue.repo.owner.login}/${issue.repo.name}`;
  const repoUrl = `${urls.api}/repos/${fullName}`;
  const url = `${repoUrl}/issues/${issue.number}`;
  const kind = issue.pull ? "pull" : "issues";
  return {
    id: issue.id,
    node_id: `I_${issue.id}`,
    url,
    repository_url: repoUrl,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${urls.html}/${fullName}/${kind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: null,
    title: issue.title,
    body: issue.body,
    user: userShape(issue.user, urls),
    labels: issue.labels.map((name) =>
      labelShape(issue.repo.labels.get(name.toLowerCase())!, fullName, urls),
    ),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: commentCount,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${repoUrl}/pulls/${issue.number}`,
            html_url: `${urls.html}/${fullName}/pull/${issue.number}`,
            diff_url: `${urls.html}/${fullName}/pull/${issue.number}.diff`,
            patch_url: `${urls.html}/${fullName}/pull/${issue.number}.patch`,
            merged_at: null,
          },
        }
      : {}),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    draft: issue.pull?.draft,
    closed_by: null,
    author_association: "MEMBER",
    repository: repositoryShape(issue.repo, urls),
    reactions: emptyReactions(`${url}/reactions`),
  };
}

export function issueCommentShape(
  comment: CommentRecord,
  urls: Urls,
  installation: InstallationRecord,
): IssueComment {
  const fullName = `${comment.issue.repo.owner.login}/${comment.issue.repo.name}`;
  const url = `${urls.api}/repos/${fullName}/issues/comments/${comment.id}`;
  const kind = comment.issue.pull ? "pull" : "issues";
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url,
    body: comment.body,
    html_url: `${urls.html}/${fullName}/${kind}/${comment.issue.number}#issuecomment-${comment.id}`,
    issue_url: `${urls.api}/repos/${fullName}/issues/${comment.issue.number}`,
    user: userShape(comment.user, urls),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    reactions: emptyReactions(`${url}/reactions`),
    performed_via_github_app: comment.viaApp ? integrationShape(installation, urls) : null,
  };
}

export function reactionShape(reaction: ReactionRecord, urls: Urls): Reaction {
  return {
    id: reaction.id,
    node_id: `REA_${reaction.id}`,
    user: userShape(reaction.user, urls),
    content: reaction.content,
    created_at: reaction.createdAt,
  };
}
