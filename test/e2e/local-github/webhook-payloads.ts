import type { RouteContext } from "./context.ts";
import { pullShas } from "./pull-lookup.ts";
import { issueCommentShape, issueShape, labelShape } from "./shapes/issue.ts";
import { type PullIssue, pullRequestShape, reviewCommentShape, reviewShape } from "./shapes/pull.ts";
import { repositoryShape } from "./shapes/repository.ts";
import { userShape } from "./shapes/user.ts";
import { workflowRunShape, workflowShape } from "./shapes/workflow-run.ts";
import type {
  CommentRecord,
  IssueRecord,
  LabelRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  RunRecord,
  UserRecord,
} from "./state.ts";

/**
 * Webhook payloads built from the in-memory state, shaped like GitHub's (compare
 * `@octokit/webhooks-examples`): the REST shape of the subject, plus repository, sender and installation.
 */
export type WebhookPayload = Record<string, unknown> & { action: string };

/** What a CI App reports about one commit (`POST /repos/{owner}/{repo}/check-runs` on GitHub). */
export interface CheckRunReport {
  headSha: string;
  headBranch?: string;
  name: string;
  conclusion: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";
  output?: { title?: string; summary?: string; text?: string };
  detailsUrl?: string;
  /** The reporting App; `github-actions` makes the check run an Actions job. */
  appSlug: string;
  /** With `github-actions`: the job's log, which `GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs` downloads (`job-logs.ts`). */
  log?: string;
}

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

  /** `issues.opened`: the new issue, sent by its author. */
  issuesOpened(issue: IssueRecord): WebhookPayload {
    return { action: "opened", issue: this.issue(issue), ...this.envelope(issue.repo, issue.user) };
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

  /** `pull_request_review.submitted`: the review and the pull request it is on, sent by the reviewer. */
  async pullRequestReviewSubmitted(review: ReviewRecord): Promise<WebhookPayload> {
    const opened = await this.pullRequestOpened(review.pull as PullIssue);
    return {
      ...opened,
      action: "submitted",
      review: reviewShape(review, this.ctx.urls),
      sender: userShape(review.user, this.ctx.urls),
    };
  }

  /** `pull_request_review_comment.created`: a comment on a line of the diff, with its path and lines. */
  async pullRequestReviewCommentCreated(comment: ReviewCommentRecord): Promise<WebhookPayload> {
    const opened = await this.pullRequestOpened(comment.pull as PullIssue);
    return {
      ...opened,
      action: "created",
      comment: reviewCommentShape(comment, this.ctx.urls),
      sender: userShape(comment.user, this.ctx.urls),
    };
  }

  /** `pull_request.ready_for_review`: a draft marked ready, sent by whoever marked it. */
  async pullRequestReadyForReview(pull: PullIssue, sender: UserRecord): Promise<WebhookPayload> {
    const opened = await this.pullRequestOpened(pull);
    return { ...opened, action: "ready_for_review", sender: userShape(sender, this.ctx.urls) };
  }

  /** `pull_request.closed`: `merged` tells a merge from a close. */
  async pullRequestClosed(pull: PullIssue, sender: UserRecord): Promise<WebhookPayload> {
    const opened = await this.pullRequestOpened(pull);
    return { ...opened, action: "closed", sender: userShape(sender, this.ctx.urls) };
  }

  /**
   * `check_run.completed` as a CI App reports it. `pull_requests` lists the open pull requests of
   * this repository whose head is the checked commit ("pull_requests: An array of pull requests that
   * match this check run. Only pull requests in the same repository as the check run's head_branch
   * are included", https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run).
   */
  async checkRunCompleted(
    repo: RepoRecord,
    check: CheckRunReport,
    sender: UserRecord,
  ): Promise<WebhookPayload> {
    const fullName = `${repo.owner.login}/${repo.name}`;
    const api = `${this.ctx.urls.api}/repos/${fullName}`;
    const id = this.ctx.state.id();
    // An Actions check run is a job: its id is the job's id (REST "Get a job for a workflow run").
    if (check.appSlug === "github-actions" && check.log !== undefined)
      this.ctx.state.jobLogs.set(id, { repo, text: check.log });
    const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const pulls: Record<string, unknown>[] = [];
    for (const issue of this.ctx.state.issues) {
      if (issue.repo !== repo || !issue.pull || issue.state !== "open") continue;
      const pull = issue as PullIssue;
      if (pull.pull.headRepo && pull.pull.headRepo !== repo) continue;
      const shas = await pullShas(pull);
      if (shas.head !== check.headSha) continue;
      const repoRef = { id: repo.id, url: api, name: repo.name };
      pulls.push({
        url: `${api}/pulls/${pull.number}`,
        id: pull.id,
        number: pull.number,
        head: { ref: pull.pull.headRef, sha: shas.head, repo: repoRef },
        base: { ref: pull.pull.baseRef, sha: shas.base, repo: repoRef },
      });
    }
    const app = {
      id: 15368,
      slug: check.appSlug,
      node_id: "MDM6QXBwMTUzNjg=",
      owner: userShape(repo.owner, this.ctx.urls),
      name: check.appSlug,
      description: "",
      external_url: this.ctx.urls.html,
      html_url: `${this.ctx.urls.html}/apps/${check.appSlug}`,
      created_at: at,
      updated_at: at,
      permissions: { checks: "write", metadata: "read" },
      events: [],
    };
    const suiteId = this.ctx.state.id();
    return {
      action: "completed",
      check_run: {
        id,
        node_id: `CR_${id}`,
        head_sha: check.headSha,
        external_id: "",
        url: `${api}/check-runs/${id}`,
        html_url: `${this.ctx.urls.html}/${fullName}/runs/${id}`,
        details_url: check.detailsUrl ?? `${this.ctx.urls.html}/${fullName}/runs/${id}`,
        status: "completed",
        conclusion: check.conclusion,
        started_at: at,
        completed_at: at,
        output: {
          title: check.output?.title ?? null,
          summary: check.output?.summary ?? null,
          text: check.output?.text ?? null,
          annotations_count: 0,
          annotations_url: `${api}/check-runs/${id}/annotations`,
        },
        name: check.name,
        check_suite: {
          id: suiteId,
          node_id: `CS_${suiteId}`,
          head_branch: check.headBranch ?? null,
          head_sha: check.headSha,
          status: "completed",
          conclusion: check.conclusion,
          url: `${api}/check-suites/${suiteId}`,
          before: null,
          after: check.headSha,
          pull_requests: pulls,
          app,
          created_at: at,
          updated_at: at,
        },
        app,
        pull_requests: pulls,
      },
      ...this.envelope(repo, sender),
    };
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
