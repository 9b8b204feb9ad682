import type { Task } from "../../core/task.ts";
import { Refusal } from "../job/task-errors.ts";
import type { FrozenThread } from "./frozen-thread.ts";
import type { PullRequestInfo } from "./pull-request-info.ts";

/**
 * The task must still describe the thread as it is: an issue task on an issue, a PR task on an
 * open PR, and the command comment neither deleted nor edited since it was given.
 */
export function checkThreadMatches(task: Task, thread: FrozenThread, pr?: PullRequestInfo): void {
  const n = task.number;
  if (task.kind === "fix-issue" && thread.isPullRequest) {
    throw new Refusal(`#${n} is a pull request, not an issue; use \`/agent fix\` on the PR to change it`);
  }
  if ((task.kind === "fix-pr" || task.kind === "review") && !thread.isPullRequest) {
    throw new Refusal(`#${n} is an issue, not a pull request; label the issue to have it fixed`);
  }
  if (thread.state === "closed" || pr?.state === "closed") {
    throw new Refusal(`#${n} was closed after the request was made; reopen it and ask again`);
  }
  const commentId = task.trigger.commentId;
  if (commentId !== undefined) {
    const dropped = thread.dropped.find((d) => d.id === commentId);
    if (dropped?.why === "edited after the trigger") {
      throw new Refusal(
        "the command comment was edited after it started this task, so what was asked is no longer on the page; post the command again as a new comment",
      );
    }
    if (!dropped && !thread.comments.some((c) => c.id === commentId)) {
      throw new Refusal("the command comment was deleted before the task started; nothing was done");
    }
  }
}
