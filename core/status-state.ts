import {
  isTerminalState,
  parseStatusMarker,
  type StatusMarker,
  type StatusState,
  statusText,
} from "./status-marker.ts";

/**
 * The status comment as a state machine, one rule for every writer: the App's start (queued, then
 * queued with its run, or failed when the dispatch fails), its stop (cancelled), its completion
 * handler (failed or cancelled when the run ended before the action reported), and the action's
 * phases (running) and end (any terminal state), the post step's included.
 *
 *   (no marker) ─▶ any state
 *   queued  ─▶ queued, running, succeeded, failed, cancelled, refused
 *   running ─▶ running, succeeded, failed, cancelled, refused
 *   succeeded, failed, cancelled, refused ─▶ nothing: the first terminal state is the outcome
 *
 * GitHub has no compare-and-set for comments, so every writer reads the comment right before it
 * edits it and writes only if the move from the state it finds is allowed (`writeStatusIfAllowed`):
 * the race shrinks to one round trip. A late "queued" never hides "running", a phase never reopens
 * a stopped task, and a post step never overwrites a real result. Both sides read through
 * core/github/status-comment-access.ts: a conditional GET that GitHub answers 304, free of rate
 * limit, while nobody else edited the comment since the writer's last answer.
 */
export const statusTransitions: Readonly<Record<StatusState, readonly StatusState[]>> = {
  queued: ["queued", "running", "succeeded", "failed", "cancelled", "refused"],
  running: ["running", "succeeded", "failed", "cancelled", "refused"],
  succeeded: [],
  failed: [],
  cancelled: [],
  refused: [],
};

/** `undefined`: the comment carries no marker (none yet, or edited away), so any state may be written. */
export function canMoveStatus(from: StatusState | undefined, to: StatusState): boolean {
  return from === undefined || statusTransitions[from].includes(to);
}

export type StatusWriteVerdict =
  | { write: true }
  | {
      write: false;
      reason: string;
      /**
       * The refused text is a terminal message the comment does not carry (it ended otherwise
       * first: say a stop raced the action's result): the writer posts it apart, so no task's
       * outcome is lost.
       */
      keepApart: boolean;
    };

/**
 * Whether a writer may move the comment from `current` (read just now) to `next`. `expected`, when
 * given, is the writer's own precondition on top of the table (the App's start edits only the
 * "queued" it wrote).
 */
export function judgeStatusWrite(
  current: StatusState | undefined,
  next: StatusState,
  expected?: readonly StatusState[],
): StatusWriteVerdict {
  const refused = (reason: string): StatusWriteVerdict => ({
    write: false,
    reason,
    keepApart: isTerminalState(next) && current !== undefined && isTerminalState(current) && current !== next,
  });
  if (!canMoveStatus(current, next)) return refused(`the status is ${current}, which never becomes ${next}`);
  if (expected && current !== undefined && !expected.includes(current)) {
    return refused(`the status is ${current}, no longer ${expected.join(" or ")}`);
  }
  return { write: true };
}

/** One status comment, read and edited through either side's GitHub client. */
export interface StatusCommentAccess {
  /** The comment's body now (`GET /repos/{owner}/{repo}/issues/comments/{id}`). */
  read(): Promise<string>;
  /** Replaces the body (`PATCH` of the same). */
  write(body: string): Promise<void>;
}

export type StatusWriteResult =
  | { written: true }
  | {
      written: false;
      reason: string;
      /** The marker found, and the whole body it came from. */
      current?: { marker: StatusMarker; body: string };
      /** The refused body's text (no marker), to post apart when `keepApart`. */
      text: string;
      keepApart: boolean;
    };

/**
 * Compare-before-write: reads the comment, judges the move to `body`'s state and writes only if
 * allowed. A comment that cannot be read is written anyway: the check exists to keep a terminal
 * state, and a failed read must not keep a terminal message off the comment. Errors of the write
 * itself are the caller's.
 */
export async function writeStatusIfAllowed(
  access: StatusCommentAccess,
  body: string,
  expected?: readonly StatusState[],
): Promise<StatusWriteResult> {
  const next = parseStatusMarker(body)?.state;
  if (next === undefined) throw new Error("a status comment body must start with its status marker");
  let found = "";
  try {
    found = await access.read();
  } catch {
    found = "";
  }
  const marker = parseStatusMarker(found);
  const verdict = judgeStatusWrite(marker?.state, next, expected);
  if (!verdict.write) {
    return {
      written: false,
      reason: verdict.reason,
      ...(marker ? { current: { marker, body: found } } : {}),
      text: statusText(body),
      keepApart: verdict.keepApart,
    };
  }
  await access.write(body);
  return { written: true };
}
