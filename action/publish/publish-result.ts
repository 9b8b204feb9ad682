import type { RepoConfig } from "../../core/config.ts";
import type { Task } from "../../core/task.ts";
import type { AgentResult, AgentTaskText } from "../agent/types.ts";
import type { GitHub } from "../github/client.ts";
import type { PullRequestInfo } from "../github/pull-request-info.ts";
import type { Settings } from "../job/settings.ts";
import { Refusal } from "../job/task-errors.ts";
import type { GitAuth } from "../workspace/auth-header.ts";
import type { WorkspacePlan } from "../workspace/plan.ts";
import type { CommitIdentity } from "./commit.ts";
import { publishFindings } from "./findings-issue.ts";
import { verificationLine } from "./pr-body.ts";
import { type PublishOutcome, publishChange } from "./publish-change.ts";
import { postReview } from "./review.ts";
import { answerReviewThread } from "./review-thread.ts";
import { suggestChange } from "./suggest-change.ts";

export interface PublishContext {
  gh: GitHub;
  task: Task;
  config: RepoConfig;
  text: AgentTaskText;
  pr?: PullRequestInfo;
  result: AgentResult;
  runUrl: string;
  redact: (text: string) => string;
  /** Fits a body to GitHub's limit, keeping the whole text for the job summary (`LongBodies.fit`). */
  fit: (what: string, text: string) => string;
  change: {
    dir: string;
    plan: WorkspacePlan;
    defaultBranch: string;
    auth: GitAuth;
    settings: Pick<Settings, "patch">;
    /** Resolved only when a commit is made (`publish/commit-author.ts`). */
    author: () => Promise<CommitIdentity>;
    /** The clone's remote is the GitHub the API serves, so commits may go through `createCommitOnBranch`. */
    commitThroughApi?: boolean;
    /** Credential-free clone URL of a repository: where a fork pull request's branch is pushed. */
    remoteUrl?: (owner: string, name: string) => string;
    diff: () => Promise<string>;
  };
}

export interface Published {
  /** The terminal status line. */
  message: string;
  link?: string;
  prNumber?: number;
  prUrl?: string;
}

function facts(result: AgentResult): string {
  const tokens = result.tokens.total.toLocaleString("en-US");
  return `verification ${verificationLine(result)} · ${result.turns} turns · ${tokens} tokens · ${Math.round(result.durationMs / 1000)}s`;
}

function changeMessage(published: PublishOutcome, result: AgentResult, replyTo?: number): string {
  switch (published.kind) {
    case "pull-request":
      return `done: opened ${published.url}${published.draft ? " as a draft" : ""} · ${facts(result)}`;
    case "pushed":
      return `done: pushed ${published.sha.slice(0, 12)} to \`${published.branch}\`${replyTo ? ` (pull request #${replyTo})` : ""} · ${facts(result)}`;
    default:
      return `done: the agent made no changes, so nothing was opened. ${result.summary?.trim() || result.reason}`;
  }
}

/** A fork pull request's change posted without a push: suggestions, or the patch, and why. */
async function suggested(ctx: PublishContext, why: string): Promise<Published> {
  const { result } = ctx;
  const posted = await suggestChange({
    gh: ctx.gh,
    repo: { owner: ctx.task.repo.owner, name: ctx.task.repo.name },
    pr: ctx.pr!,
    dir: ctx.change.dir,
    why,
    actor: ctx.task.trigger.actor,
    summary: ctx.redact(result.summary?.trim() || result.reason),
    runUrl: ctx.runUrl,
    body: (what, text) => ctx.fit(what, ctx.redact(text)),
  });
  const how =
    posted.kind === "suggestions"
      ? `posted the change as ${posted.count} suggestion${posted.count === 1 ? "" : "s"}`
      : `posted the change as a patch in a comment (${posted.because})`;
  return {
    message: `done: ${how}: ${posted.url}, not pushed because ${why} · ${facts(result)}`,
    link: posted.url,
  };
}

function threadReply(published: PublishOutcome, result: AgentResult): string {
  const summary = result.summary?.trim() || result.reason;
  return published.kind === "pushed"
    ? `Pushed ${published.sha.slice(0, 12)} to \`${published.branch}\`: ${summary}`
    : `No change was made for this: ${summary}`;
}

/** Step 7 by kind: a review, a findings issue, or a change (branch, PR or push to the PR). */
export async function publishResult(ctx: PublishContext): Promise<Published> {
  const { gh, task, result, redact } = ctx;
  const repo = { owner: task.repo.owner, name: task.repo.name };
  const usage = `${result.turns} turns · ${result.tokens.total.toLocaleString("en-US")} tokens`;
  if (task.kind === "review") {
    const summary = result.summary ?? result.reason;
    const review = await postReview(
      gh,
      repo,
      ctx.pr!.number,
      ctx.pr!.headSha,
      summary,
      result.reviewComments,
      (text) => ctx.fit("review", redact(text)),
    );
    const outside = review.moved
      ? ` (the pull request moved while the review ran, so its ${review.outside} comments are in the review body)`
      : review.outside
        ? ` (${review.outside} about lines outside the diff are in the review body)`
        : "";
    return {
      message: `done: posted a review with ${review.inline} inline comments${outside}: ${review.url} · ${usage}`,
      link: review.url,
    };
  }
  if (ctx.text.reportsFindings) {
    const issue = await publishFindings(gh, repo, task, ctx.text.title, result, ctx.runUrl, (text) =>
      ctx.fit("findings issue", redact(text)),
    );
    if (issue.kind === "nothing-found") {
      return { message: `done: nothing to report, so no issue was opened or updated · ${usage}` };
    }
    const did = issue.kind === "opened" ? "opened" : "commented on";
    return {
      message: `done: ${did} ${issue.url} with ${issue.findings} findings · ${usage}`,
      link: issue.url,
    };
  }
  const { change } = ctx;
  const published = await publishChange({
    gh,
    task,
    config: ctx.config,
    title: ctx.text.title,
    dir: change.dir,
    plan: change.plan,
    defaultBranch: change.defaultBranch,
    result,
    patch: await change.diff(),
    runUrl: ctx.runUrl,
    auth: change.auth,
    author: await change.author(),
    commitThroughApi: change.commitThroughApi === true,
    ...(change.remoteUrl ? { remoteUrl: change.remoteUrl } : {}),
    limits: change.settings.patch,
    redact,
    fit: ctx.fit,
  });
  if (published.kind === "refused") {
    throw new Refusal(`the agent's change was not published: ${published.reasons.join("; ")}`);
  }
  if (published.kind === "no-changes" && result.outcome !== "finished") {
    throw new Error(`the agent made no changes and stopped: ${result.reason}`);
  }
  if (published.kind === "suggest") return suggested(ctx, published.why);
  const message = changeMessage(published, result, change.plan.replyTo);
  if (task.reviewComment) {
    // Asked on a line of the diff: answered in that thread too, resolved when the commit changed its file.
    const answer = await answerReviewThread(
      gh,
      repo,
      task.number!,
      task.reviewComment,
      ctx.fit("review thread reply", redact(threadReply(published, result))),
      published.kind === "pushed" ? published.paths : [],
    );
    if (published.kind === "pushed" && !change.plan.replyTo) {
      return {
        message: answer.resolved ? `${message} · review thread resolved` : message,
        link: answer.replyUrl,
      };
    }
  }
  if (published.kind === "pull-request") {
    return { message, link: published.url, prNumber: published.number, prUrl: published.url };
  }
  if (published.kind === "pushed" && change.plan.replyTo) {
    return { message, link: published.replyUrl, prNumber: change.plan.replyTo };
  }
  return { message, link: published.kind === "pushed" ? published.replyUrl : undefined };
}
