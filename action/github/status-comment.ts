import {
  ConditionalStatusComment,
  type KnownComment,
  knownFrom,
} from "../../core/github/status-comment-access.ts";
import { GITHUB_BODY_MAX_CHARS } from "../../core/github-body.ts";
import {
  renderStatusComment,
  renderStatusMarker,
  type StatusMarker,
  type StatusState,
  type TerminalState,
} from "../../core/status-marker.ts";
import { writeStatusIfAllowed } from "../../core/status-state.ts";
import type { Task } from "../../core/task.ts";
import type { UsageRecord } from "../../core/usage-record.ts";
import type { GitHub } from "./client.ts";

export interface StatusCommentOptions {
  gh: GitHub;
  task: Task;
  runUrl: string;
  run?: StatusMarker["run"];
  /** The central runner repository the App recorded (`StatusMarker.runner`): kept in every rewrite. */
  runner?: string;
  /**
   * The unit of the turn updates' spacing. The loop's start ("working: turn 1") is the first progress
   * edit; the first turn update comes two units after the last edit, each later one twice as long
   * after its predecessor (4, 8, … units, up to `MAX_TURN_GAP_MS`), so a task's status edits grow
   * with the log of its length, not with it. Phase changes are always written.
   */
  turnThrottleMs?: number;
  /**
   * Least time between two edits before the final one: a phase that is over sooner is never shown,
   * only the latest text is written. Default 0 (the client's pacing alone); the action passes its
   * status interval, so the comment changes at most once per interval until the task ends.
   */
  minGapMs?: number;
  now?: () => number;
  /** Everything written passes through this (the run's redactor). */
  redact?: (text: string) => string;
  /** Fits the text to GitHub's body limit (`LongBodies.fit`); the hidden marker is never cut. */
  fit?: (what: string, text: string, limit: number) => string;
  warn?: (message: string) => void;
  /**
   * A result of ours the state machine refuses, because the comment already ended otherwise, is
   * posted as a comment of its own (default). The post step's stand-in "failed" says nothing a
   * result already there lacks, so it passes false.
   */
  resultApart?: boolean;
  /**
   * The comment as the run last read it (the authenticity check's GET, with its ETag): the first
   * compare-before-write then asks GitHub only whether it changed since (core/github/status-comment-access.ts).
   */
  known?: KnownComment;
}

const ICON: Record<StatusState, string> = {
  queued: "⏳",
  running: "🔧",
  succeeded: "✅",
  failed: "❌",
  cancelled: "⏹️",
  refused: "🚫",
};

/** A long task still shows it is alive at least this often (while its turns go on). */
export const MAX_TURN_GAP_MS = 10 * 60_000;

/**
 * The one status comment of a task, edited in place at every phase (never a new comment per
 * phase). Writes are serialised so a slow request cannot land after a later one, and the latest
 * wins: a text superseded while an earlier write is in flight is never sent, since every edit is
 * a content-creating request against the installation's shared budget (GitHub's secondary limit:
 * 80 a minute, 500 an hour, "Rate limits for the REST API"). A failed write is a warning, never the
 * reason a task fails.
 *
 * Every edit is a compare-before-write by core/status-state.ts: once the comment is found in a
 * terminal state someone else wrote (the App's stop), no phase is written again, and a result of
 * ours that the state machine refuses is posted as a comment of its own, so it is never lost.
 */
export class StatusComment {
  private id: number | undefined;
  /** The comment through conditional reads: its reads cost nothing while only we edit it. */
  private access: ConditionalStatusComment | undefined;
  private pending: string | undefined;
  private sending: Promise<void> | undefined;
  private sentAt = Number.NEGATIVE_INFINITY;
  private wake: (() => void) | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private turnWrites = 0;
  private finished = false;
  /** The comment was found ended by another writer: phases stop, a result of ours goes apart. */
  private closed = false;
  readonly writes: string[] = [];

  constructor(private readonly options: StatusCommentOptions) {
    this.id = options.task.statusCommentId;
  }

  get commentId(): number | undefined {
    return this.id;
  }

  /** The comment is in a terminal state: ours, or one another writer put there first. */
  get isFinished(): boolean {
    return this.finished || this.closed;
  }

  private marker(state: StatusState, usage?: UsageRecord): StatusMarker {
    const { task } = this.options;
    return {
      v: 1,
      task: {
        kind: task.kind,
        ...(task.number !== undefined ? { number: task.number } : {}),
        ...(task.automation !== undefined ? { automation: task.automation } : {}),
      },
      delivery: task.trigger.delivery,
      actor: task.trigger.actor,
      state,
      ...(this.options.runner ? { runner: this.options.runner } : {}),
      ...(this.options.run ? { run: this.options.run } : {}),
      ...(usage ? { usage } : {}),
    };
  }

  private render(state: StatusState, text: string, usage?: UsageRecord): string {
    const { task, runUrl } = this.options;
    const redact = this.options.redact ?? ((t: string) => t);
    const what = task.kind === "automation" ? `automation ${task.automation}` : task.kind;
    const lines = [`${ICON[state]} **inhouse** · ${what} · ${redact(text)}`, "", `[Workflow run](${runUrl})`];
    const marker = this.marker(state, usage);
    const room = GITHUB_BODY_MAX_CHARS - [...renderStatusMarker(marker)].length - 1;
    const fitBody = this.options.fit ?? ((_what: string, body: string) => body);
    return renderStatusComment(marker, fitBody("status comment", lines.join("\n"), room));
  }

  /** Resolves once this text, or a later one that superseded it, is written. */
  private write(state: StatusState, text: string, usage?: UsageRecord): Promise<void> {
    if (this.closed && !this.finished) return this.flush();
    this.pending = this.render(state, text, usage);
    this.lastWrite = this.now();
    this.sending ??= this.drain();
    // The final text waits for nothing but the write in flight.
    if (this.finished) this.wake?.();
    return this.sending;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const wait = this.sentAt + (this.options.minGapMs ?? 0) - this.now();
        if (wait > 0 && !this.finished) await this.pause(wait);
        const body = this.pending;
        this.pending = undefined;
        if (this.closed && !this.finished) break;
        await this.send(body);
        this.sentAt = this.now();
      }
    } finally {
      this.sending = undefined;
    }
  }

  /** Sleeps up to `ms`; the final text cuts it short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => {
      this.wake = undefined;
    });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async send(body: string): Promise<void> {
    const { gh, task } = this.options;
    const repo = { owner: task.repo.owner, repo: task.repo.name };
    try {
      if (this.id === undefined) {
        if (task.number === undefined) return;
        const created = await gh.rest.issues.createComment({ ...repo, issue_number: task.number, body });
        this.id = created.data.id;
        this.access = this.commentAccess(this.id, knownFrom(created));
      } else {
        this.access ??= this.commentAccess(this.id);
        const result = await writeStatusIfAllowed(this.access, body);
        if (!result.written) {
          this.closed = true;
          this.options.warn?.(`status comment left as it is: ${result.reason}`);
          if (result.keepApart && this.options.resultApart !== false && task.number !== undefined) {
            await gh.rest.issues.createComment({ ...repo, issue_number: task.number, body: result.text });
            this.writes.push(result.text);
          }
          return;
        }
      }
      this.writes.push(body);
    } catch (error) {
      this.options.warn?.(`could not update the status comment: ${(error as Error).message}`);
    }
  }

  private commentAccess(id: number, known?: KnownComment): ConditionalStatusComment {
    const { gh, task } = this.options;
    return new ConditionalStatusComment(
      gh.request,
      { owner: task.repo.owner, repo: task.repo.name, comment_id: id },
      known ?? this.options.known,
    );
  }

  /** A phase change (provisioning, verifying, publishing): always written. */
  phase(text: string): Promise<void> {
    return this.write("running", text);
  }

  /**
   * Turn progress (and what is happening in it, such as the model writing): written once the gap
   * since the last write has passed (two units, then four, eight, …).
   */
  turn(turn: number, maxTurns: number, detail?: string): Promise<void> {
    const base = this.options.turnThrottleMs ?? 15_000;
    const gap = Math.min(base * 2 ** (this.turnWrites + 1), MAX_TURN_GAP_MS);
    if (this.now() - this.lastWrite < gap) return this.flush();
    this.turnWrites += 1;
    return this.write("running", `working: turn ${turn} of ${maxTurns}${detail ? ` · ${detail}` : ""}`);
  }

  /**
   * The terminal state, with the usage record the App's run history reads; later calls are ignored
   * so the post step cannot overwrite a real result.
   */
  finish(state: TerminalState, text: string, usage?: UsageRecord): Promise<void> {
    if (this.finished) return this.flush();
    this.finished = true;
    return this.write(state, text, usage);
  }

  /** Waits for every queued write. */
  flush(): Promise<void> {
    return this.sending ?? Promise.resolve();
  }
}
