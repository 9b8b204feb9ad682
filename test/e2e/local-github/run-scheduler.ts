import type { RunRecord } from "./state.ts";

/**
 * GitHub's concurrency groups: one run holds a group; at most one more waits. A newer waiting
 * run cancels the older waiting one, and with `cancel-in-progress: true` it also cancels the
 * holder. Runs without a group start at once. A group is one repository's ("another job or
 * workflow using the same concurrency group in the repository"), and its name is case-insensitive
 * ("prod and Prod will be treated as the same concurrency group"):
 * https://docs.github.com/en/actions/using-jobs/using-concurrency
 */
export class RunScheduler {
  private readonly holders = new Map<string, RunRecord>();
  private readonly waiting = new Map<string, RunRecord>();

  constructor(
    private readonly actions: {
      start(run: RunRecord): void;
      /** End a run that never started (GitHub reports it completed/cancelled). */
      drop(run: RunRecord): void;
      /** Cancel a run that is running. */
      cancel(run: RunRecord): void;
    },
  ) {}

  submit(run: RunRecord): void {
    const group = groupOf(run);
    if (group === undefined) {
      this.actions.start(run);
      return;
    }
    const holder = this.holders.get(group);
    if (!holder) {
      this.holders.set(group, run);
      this.actions.start(run);
      return;
    }
    if (run.concurrency?.cancelInProgress) this.actions.cancel(holder);
    const previous = this.waiting.get(group);
    this.waiting.set(group, run);
    if (previous) this.actions.drop(previous);
  }

  isWaiting(run: RunRecord): boolean {
    const group = groupOf(run);
    return group !== undefined && this.waiting.get(group) === run;
  }

  /** Removes a waiting run (cancelled before it started). */
  withdraw(run: RunRecord): void {
    if (this.isWaiting(run)) this.waiting.delete(groupOf(run)!);
  }

  /** A run completed: the group's waiting run, if any, starts. */
  finished(run: RunRecord): void {
    const group = groupOf(run);
    if (group === undefined || this.holders.get(group) !== run) return;
    this.holders.delete(group);
    const next = this.waiting.get(group);
    if (!next) return;
    this.waiting.delete(group);
    this.holders.set(group, next);
    this.actions.start(next);
  }
}

/** The run's group, as one key per repository and name (names compare case-insensitively). */
function groupOf(run: RunRecord): string | undefined {
  const group = run.concurrency?.group;
  return group === undefined ? undefined : `${run.repo.id}/${group.toLowerCase()}`;
}
