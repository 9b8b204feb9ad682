import { GITHUB_BODY_MAX_CHARS } from "../../core/github-body.ts";
import {
  renderStatusComment,
  renderStatusMarker,
  type StatusMarker,
  type StatusState,
} from "../../core/status-marker.ts";
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
  /** Minimum time between two turn updates; phase changes are always written. */
  turnThrottleMs?: number;
  now?: () => number;
  /** Everything written passes through this (the run's redactor). */
  redact?: (text: string) => string;
  /** Fits the text to GitHub's body limit (`LongBodies.fit`); the hidden marker is never cut. */
  fit?: (what: string, text: string, limit: number) => string;
  warn?: (message: string) => void;
}

const ICON: Record<StatusState, string> = {
  queued: "⏳",
  running: "🔧",
  succeeded: "✅",
  failed: "❌",
  cancelled: "⏹️",
  refused: "🚫",
};

/**
 * The one status comment of a task, edited in place at every phase (never a new comment per
 * phase). Writes are serialised so a slow request cannot land after a later one; a failed write
 * is a warning, never the reason a task fails.
 */
export class StatusComment {
  private id: number | undefined;
  private chain: Promise<void> = Promise.resolve();
  private lastTurnWrite = Number.NEGATIVE_INFINITY;
  private finished = false;
  readonly writes: string[] = [];

  constructor(private readonly options: StatusCommentOptions) {
    this.id = options.task.statusCommentId;
  }

  get commentId(): number | undefined {
    return this.id;
  }

  get isFinished(): boolean {
    return this.finished;
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

  private write(state: StatusState, text: string, usage?: UsageRecord): Promise<void> {
    const body = this.render(state, text, usage);
    this.chain = this.chain.then(() => this.send(body));
    return this.chain;
  }

  private async send(body: string): Promise<void> {
    const { gh, task } = this.options;
    const repo = { owner: task.repo.owner, repo: task.repo.name };
    try {
      if (this.id === undefined) {
        if (task.number === undefined) return;
        const { data } = await gh.rest.issues.createComment({ ...repo, issue_number: task.number, body });
        this.id = data.id;
      } else {
        await gh.rest.issues.updateComment({ ...repo, comment_id: this.id, body });
      }
      this.writes.push(body);
    } catch (error) {
      this.options.warn?.(`could not update the status comment: ${(error as Error).message}`);
    }
  }

  /** A phase change (provisioning, verifying, publishing): always written. */
  phase(text: string): Promise<void> {
    return this.write("running", text);
  }

  /** Turn progress (and what is happening in it, such as the model writing): written at most once per throttle window. */
  turn(turn: number, maxTurns: number, detail?: string): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    if (now - this.lastTurnWrite < (this.options.turnThrottleMs ?? 15_000)) return this.chain;
    this.lastTurnWrite = now;
    return this.write("running", `working: turn ${turn} of ${maxTurns}${detail ? ` · ${detail}` : ""}`);
  }

  /**
   * The terminal state, with the usage record the App's run history reads; later calls are ignored
   * so the post step cannot overwrite a real result.
   */
  finish(
    state: Exclude<StatusState, "queued" | "running">,
    text: string,
    usage?: UsageRecord,
  ): Promise<void> {
    if (this.finished) return this.chain;
    this.finished = true;
    return this.write(state, text, usage);
  }

  /** Waits for every queued write. */
  flush(): Promise<void> {
    return this.chain;
  }
}
