import { isTerminalState, parseStatusMarker } from "./status-marker.ts";
import type { Task } from "./task.ts";

/**
 * Whether a task is one the App dispatched, decided from what GitHub says, never from the task text
 * alone: anyone who can dispatch the workflow can write any task JSON. One rule for the action
 * (before it writes anything) and the App's token endpoint (before it mints anything).
 */

/** How far a trigger time may lie ahead of this clock (runner and App clocks drift a little). */
export const TRIGGER_CLOCK_SKEW_MS = 60_000;

/** The status comment the task names, as `GET /repos/{owner}/{repo}/issues/comments/{id}` returns it. */
export interface StatusCommentEvidence {
  /** `issue_url` of the comment: `…/repos/{owner}/{repo}/issues/{number}`. */
  issueUrl: string;
  body: string;
  /** `performed_via_github_app`: set only when an App's installation token wrote the comment. */
  app: { id: number; slug: string } | null;
}

/** The run as the runner describes it (`GITHUB_EVENT_NAME`, `GITHUB_TRIGGERING_ACTOR`), not the task. */
export interface RunEvidence {
  event: string;
  triggeringActor: string;
}

export type Authenticity =
  | {
      ok: true;
      appSlug?: string;
      /** The central runner repository the App recorded in its confirmed status comment, if any. */
      runner?: string;
    }
  | { ok: false; reason: string };

const refuse = (reason: string): Authenticity => ({ ok: false, reason });

/** `https://api.github.com/repos/o/r/issues/12` → { repo: "o/r", number: 12 }. */
export function issueOfUrl(url: string): { repo: string; number: number } | undefined {
  const match = /\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(url);
  return match ? { repo: match[1]!.toLowerCase(), number: Number(match[2]) } : undefined;
}

/**
 * A task the App dispatched from a webhook: its status comment exists on the task's issue or pull
 * request, the App wrote it (`performed_via_github_app.id`; anyone can type the marker text), the
 * hidden marker names the same task (kind, number, automation, actor, delivery) and is still
 * running, and the run was dispatched by the App's bot: GitHub records whoever dispatched a
 * workflow as its triggering actor, whatever the task text claims.
 */
export function checkDispatchedTask(
  task: Task,
  comment: StatusCommentEvidence,
  appId: number,
  run: RunEvidence,
  now: Date,
): Authenticity {
  const where = `${task.repo.owner}/${task.repo.name}`;
  const commentRef = `status comment ${task.statusCommentId}`;
  if (comment.app?.id !== appId) {
    return refuse(
      `${commentRef} was not written by the inhouse App (id ${appId})${comment.app ? ` but by the App ${comment.app.slug} (id ${comment.app.id})` : " but by a person"}`,
    );
  }
  const issue = issueOfUrl(comment.issueUrl);
  if (!issue || issue.repo !== where.toLowerCase() || issue.number !== task.number) {
    return refuse(`${commentRef} is not on ${where}#${task.number}`);
  }
  const marker = parseStatusMarker(comment.body);
  if (!marker) return refuse(`${commentRef} carries no inhouse status marker`);
  const mismatches = [
    marker.task.kind !== task.kind && `kind ${marker.task.kind} ≠ ${task.kind}`,
    marker.task.number !== task.number && `number ${marker.task.number} ≠ ${task.number}`,
    marker.task.automation !== task.automation && `automation ${marker.task.automation} ≠ ${task.automation}`,
    marker.actor !== task.trigger.actor && `actor ${marker.actor} ≠ ${task.trigger.actor}`,
    marker.delivery !== task.trigger.delivery && `delivery ${marker.delivery} ≠ ${task.trigger.delivery}`,
  ].filter((m): m is string => typeof m === "string");
  if (mismatches.length > 0) {
    return refuse(`the task does not match ${commentRef} (${mismatches.join(", ")})`);
  }
  if (isTerminalState(marker.state))
    return refuse(`${commentRef} says the task already ended (${marker.state})`);
  const bot = `${comment.app.slug}[bot]`;
  if (run.event !== "workflow_dispatch") {
    return refuse(`the run was started by a ${run.event} event; the App starts tasks with workflow_dispatch`);
  }
  if (run.triggeringActor.toLowerCase() !== bot.toLowerCase()) {
    return refuse(`the run was dispatched by ${run.triggeringActor}, not by the App (${bot})`);
  }
  const at = Date.parse(task.trigger.at);
  if (at > now.getTime() + TRIGGER_CLOCK_SKEW_MS) {
    return refuse(`the trigger time ${task.trigger.at} lies in the future`);
  }
  return { ok: true, appSlug: comment.app.slug, ...(marker.runner ? { runner: marker.runner } : {}) };
}

/**
 * A scheduled automation has no status comment: it is authentic when the run's own event says so. A
 * `schedule` run is started by GitHub from the workflow file; a `workflow_dispatch` is a person (or
 * bot) whom the actor gate must then accept, so the task must name exactly that triggering actor.
 */
export function checkScheduledTask(task: Task, run: RunEvidence): Authenticity {
  if (task.kind !== "automation") {
    return refuse(`a ${task.kind} task must name the App's status comment (statusCommentId)`);
  }
  if (run.event === "schedule") return { ok: true };
  if (run.event !== "workflow_dispatch") {
    return refuse(`an automation runs from schedule or workflow_dispatch, not from a ${run.event} event`);
  }
  if (run.triggeringActor.toLowerCase() !== task.trigger.actor.toLowerCase()) {
    return refuse(
      `the run was dispatched by ${run.triggeringActor}, but the task names ${task.trigger.actor} as its actor`,
    );
  }
  return { ok: true };
}
