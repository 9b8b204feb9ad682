import { describe, expect, it } from "vitest";
import { RunScheduler } from "../local-github/run-scheduler.ts";
import type { RepoRecord, RunRecord } from "../local-github/state.ts";

/** Just what the scheduler reads of a run: its repository and its rendered concurrency group. */
function run(id: number, repo: Pick<RepoRecord, "id">, group: string): RunRecord {
  return { id, repo, concurrency: { group, cancelInProgress: false } } as RunRecord;
}

/**
 * `run-scheduler.ts`: a concurrency group belongs to one repository and its name is
 * case-insensitive (https://docs.github.com/en/actions/using-jobs/using-concurrency).
 */
describe("local GitHub: concurrency groups", () => {
  const schedule = () => {
    const started: number[] = [];
    const dropped: number[] = [];
    const scheduler = new RunScheduler({
      start: (r) => started.push(r.id),
      drop: (r) => dropped.push(r.id),
      cancel: () => {},
    });
    return { scheduler, started, dropped };
  };

  it("lets runs of the same group name in two repositories run at once", () => {
    const { scheduler, started } = schedule();
    scheduler.submit(run(1, { id: 10 }, "inhouse-acme-widget-1"));
    scheduler.submit(run(2, { id: 20 }, "inhouse-acme-widget-1"));
    expect(started).toEqual([1, 2]);
  });

  it("treats group names that differ only in case as one group of the repository", () => {
    const { scheduler, started } = schedule();
    const holder = run(1, { id: 10 }, "prod");
    const waiting = run(2, { id: 10 }, "Prod");
    scheduler.submit(holder);
    scheduler.submit(waiting);
    expect(started).toEqual([1]);
    expect(scheduler.isWaiting(waiting)).toBe(true);
    scheduler.finished(holder);
    expect(started).toEqual([1, 2]);
  });
});
