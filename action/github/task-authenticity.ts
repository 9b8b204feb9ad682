import { httpStatus } from "../../core/github/http-status.ts";
import { type KnownComment, knownFrom } from "../../core/github/status-comment-access.ts";
import type { Task } from "../../core/task.ts";
import {
  type Authenticity,
  checkDispatchedTask,
  checkScheduledTask,
  type RunEvidence,
} from "../../core/task-authenticity.ts";
import type { GitHub } from "./client.ts";

/** An App's bot user: its login (`<slug>[bot]`) and its own user id. */
export interface BotAccount {
  id: number;
  login: string;
}

/**
 * Invariant 8: the action runs a task only after GitHub confirms the App dispatched it
 * (`core/task-authenticity.ts`). Called before the first write, so a forged task can overwrite
 * nothing: not the App's status comment, not a new comment.
 */
export async function authenticateTask(
  gh: GitHub,
  task: Task,
  context: { appId: number; run: RunEvidence; now: Date },
): Promise<Authenticity & { statusAuthor?: BotAccount; statusSeen?: KnownComment }> {
  if (task.statusCommentId === undefined) return checkScheduledTask(task, context.run);
  if (task.number === undefined)
    return { ok: false, reason: "a task with a status comment names its issue or PR number" };
  let seen: KnownComment | undefined;
  let comment: {
    issue_url: string;
    body?: string;
    performed_via_github_app?: { id: number; slug?: string } | null;
    user?: { id: number; login: string; type?: string } | null;
  };
  try {
    const answer = await gh.rest.issues.getComment({
      owner: task.repo.owner,
      repo: task.repo.name,
      comment_id: task.statusCommentId,
    });
    comment = answer.data;
    // Kept with its ETag: the status comment's first compare-before-write is then a conditional read.
    seen = knownFrom(answer);
  } catch (error) {
    if (httpStatus(error) === 404) {
      return {
        ok: false,
        reason: `status comment ${task.statusCommentId} does not exist in ${task.repo.owner}/${task.repo.name} (or this token cannot read it)`,
      };
    }
    throw error;
  }
  const app = comment.performed_via_github_app;
  // The comment's author is the App's bot, which the commits are authored as (`publish/commit-author.ts`):
  // kept so publishing need not read the comment again.
  const statusAuthor =
    comment.user?.type === "Bot" ? { id: comment.user.id, login: comment.user.login } : undefined;
  const authenticity = checkDispatchedTask(
    task,
    {
      issueUrl: comment.issue_url,
      body: comment.body ?? "",
      app: app ? { id: app.id, slug: app.slug ?? "" } : null,
    },
    context.appId,
    context.run,
    context.now,
  );
  return {
    ...authenticity,
    ...(statusAuthor ? { statusAuthor } : {}),
    ...(seen ? { statusSeen: seen } : {}),
  };
}
