import { renderStatusComment, type StatusState } from "../../core/status-marker.ts";
import type { Task } from "../../core/task.ts";

export const TEST_APP = { id: 4242, slug: "inhouse" } as const;

/** What the runner reports for a run the test App dispatched, and the action input naming that App. */
export const APP_DISPATCHED_RUN = {
  GITHUB_EVENT_NAME: "workflow_dispatch",
  GITHUB_TRIGGERING_ACTOR: `${TEST_APP.slug}[bot]`,
} as const;
export const APP_ID_INPUT = { "app-id": String(TEST_APP.id) } as const;

/**
 * The status comment the App writes for a task, shaped as `GET /repos/{owner}/{repo}/issues/comments/{id}`
 * returns it (`issue_url`, `performed_via_github_app`). `by: null` is the same text typed by a person.
 */
export function appStatusComment(
  task: Task,
  options: {
    state?: StatusState;
    by?: { id: number; slug: string } | null;
    api?: string;
    /** The central runner repository the App recorded (`StatusMarker.runner`). */
    runner?: string;
  } = {},
) {
  const by = options.by === undefined ? TEST_APP : options.by;
  const api = options.api ?? "https://api.github.com";
  const body = renderStatusComment(
    {
      v: 1,
      task: {
        kind: task.kind,
        ...(task.number !== undefined ? { number: task.number } : {}),
        ...(task.automation !== undefined ? { automation: task.automation } : {}),
      },
      delivery: task.trigger.delivery,
      actor: task.trigger.actor,
      state: options.state ?? "queued",
      ...(options.runner ? { runner: options.runner } : {}),
    },
    "⏳ queued",
  );
  return {
    id: task.statusCommentId,
    issue_url: `${api}/repos/${task.repo.owner}/${task.repo.name}/issues/${task.number}`,
    body,
    user: by
      ? { login: `${by.slug}[bot]`, id: 41898999, type: "Bot" }
      : { login: "mallory", id: 666, type: "User" },
    performed_via_github_app: by ? { id: by.id, slug: by.slug, name: by.slug } : null,
  };
}
