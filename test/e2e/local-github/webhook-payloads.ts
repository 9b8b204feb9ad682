import type { RouteContext } from "./context.ts";
import { pullShas } from "./pull-lookup.ts";
import { issueCommentShape, issueShape, labelShape } from "./shapes/issue.ts";
import { type PullIssue, pullRequestShape } from "./shapes/pull.ts";
import { repositoryShape } from "./shapes/repository.ts";
import { userShape } from "./shapes/user.ts";
import { workflowRunShape, workflowShape } from "./shapes/workflow-run.ts";
import type { CommentRecord, IssueRecord, LabelRecord, RepoRecord, RunRecord, UserRecord } from "./state.ts";

/**
 * Webhook payloads built from the in-memory state, shaped like GitHub's (compare
 * `@octokit/webhooks-examples`): the REST shape of the subject, plus repository, sender and installation.
 */
export type WebhookPayload = Record<string, unknown> & { action: string };

export class WebhookPayloads {
  constructor(private readonly ctx: RouteContext) {}

  private envelope(repo: RepoRecord, sender: UserRecord) {
    return {
      repository: repositoryShape(repo, this.ctx.urls),
      sender: userShape(sender, this.ctx.urls),
      installation: { id: this.ctx.installation.id, node_id: `IN_${this.ctx.installation.id}` },
    };
  }

  /** Webhooks carry `draft` on every issue (false for a plain issue), as GitHub's examples do. */
  private issue(issue: IssueRecord) {
    const count = this.ctx.state.comments.filter((comment) => comment.issue === issue).length;
    return { ...issueShape(issue, this.ctx.urls, count), draft: issue.pull?.draft ?? false };
  }

  issuesLabeled(issue: IssueRecord, label: LabelRecord, sender: UserRecord): WebhookPayload {
    const fullName = `${issue.repo.owner.login}/${issue.repo.name}`;
    return {
      action: "labeled",
      issue: this.issue(issue),
      label: labelShape(label, fullName, this.ctx.urls),
      ...this.envelope(issue.repo, sender),
    };
  }

  issueCommentCreated(comment: CommentRecord): WebhookPayload {
    return {
      action: "created",
      issue: this.issue(comment.issue),
      comment: issueCommentShape(comment, this.ctx.urls, this.ctx.installation),
      ...this.envelope(comment.issue.repo, comment.user),
    };
  }

  issueCommentEdited(comment: CommentRecord, previousBody: string, editor: UserRecord): WebhookPayload {
    return {
      ...this.issueCommentCreated(comment),
      action: "edited",
      changes: { body: { from: previousBody } },
      sender: userShape(editor, this.ctx.urls),
    };
  }

  async pullRequestOpened(pull: PullIssue): Promise<WebhookPayload> {
    const shape = pullRequestShape(pull, this.ctx.urls, await pullShas(pull), {
      comments: 0,
      reviewComments: 0,
      commits: 1,
    });
    // A pull request webhook's head and base repositories carry the merge settings (GitHub's example).
    const withMergeSettings = <T extends object>(repo: T) => ({
      ...repo,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      delete_branch_on_merge: false,
    });
    return {
      action: "opened",
      number: pull.number,
      pull_request: {
        ...shape,
        head: { ...shape.head, repo: shape.head.repo && withMergeSettings(shape.head.repo) },
        base: { ...shape.base, repo: withMergeSettings(shape.base.repo) },
      },
      ...this.envelope(pull.repo, pull.user),
    };
  }

  /** `pull_request.closed`: `merged` tells a merge from a close. */
  async pullRequestClosed(pull: PullIssue, sender: UserRecord): Promise<WebhookPayload> {
    const opened = await this.pullRequestOpened(pull);
    return { ...opened, action: "closed", sender: userShape(sender, this.ctx.urls) };
  }

  workflowRunCompleted(run: RunRecord): WebhookPayload {
    const runShape = workflowRunShape(run, this.ctx.urls);
    return {
      action: "completed",
      workflow_run: runShape,
      workflow: workflowShape(run, this.ctx.urls),
      ...this.envelope(run.repo, run.actor),
    };
  }
}
