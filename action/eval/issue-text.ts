/**
 * The issue as the agent would have seen it on the day the pull request was opened: the body as it
 * read then (the last revision at or before that time when the export carries the history) and only
 * the comments written before it. Everything later may describe the fix, so it stays out. It is
 * rendered by the action's own `renderTaskText`, so the model reads what a real task shows.
 */
import type { Task } from "../../core/task.ts";
import type { AgentTaskText } from "../agent/types.ts";
import type { FrozenThread } from "../github/frozen-thread.ts";
import { renderTaskText } from "../github/task-text.ts";
import type { ExportedIssue } from "./export-format.ts";

/** The thread frozen at the pull request's opening, as stored in an instance. */
export type IssueThread = Pick<FrozenThread, "title" | "body" | "author" | "comments">;

function bodyAt(issue: ExportedIssue, at: number): string {
  const edits = (issue.bodyEdits ?? [])
    .map((edit) => ({ at: Date.parse(edit.editedAt), body: edit.body }))
    .filter((edit) => edit.at <= at)
    .sort((a, b) => a.at - b.at);
  return edits.at(-1)?.body ?? issue.body ?? "";
}

export function issueThreadAt(issue: ExportedIssue, prOpenedAt: string): IssueThread {
  const at = Date.parse(prOpenedAt);
  const comments = (issue.comments ?? [])
    .filter((comment) => Date.parse(comment.createdAt) < at)
    .map((comment, index) => ({
      id: index + 1,
      author: comment.author?.login ?? "unknown",
      createdAt: comment.createdAt,
      body: comment.body,
    }));
  return { title: issue.title, body: bodyAt(issue, at), author: issue.author?.login ?? "unknown", comments };
}

/** The task text the agent reads, through the same renderer (and cleaning) as a GitHub task. */
export function evalTaskText(
  repository: string,
  number: number,
  thread: IssueThread,
  at: string,
): AgentTaskText {
  const [owner = "", name = ""] = repository.split("/");
  const task: Task = {
    v: 1,
    kind: "fix-issue",
    repo: { owner, name },
    number,
    trigger: { event: "eval", delivery: `eval-${number}`, actor: thread.author, at },
  };
  return renderTaskText(task, { ...thread, state: "open", isPullRequest: false, dropped: [] });
}
