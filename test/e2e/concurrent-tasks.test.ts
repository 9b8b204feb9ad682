import { describe, expect, it } from "vitest";
import { simulateConcurrentTasks } from "./helpers/budget-simulation.ts";

/**
 * Many tasks at once in one installation (issue 11, item 4), with GitHub's content-creation limit
 * lowered so the installation is throttled: every task still ends with its PR and a terminal status,
 * nothing is posted twice. The real App and the action's executeTask, an in-memory sandbox and a
 * scripted model (`helpers/budget-simulation.ts`). GitHub's clock stands still until the limit
 * refuses a write, then moves on a minute, so the limit bites however loaded this machine is.
 */
describe("concurrent tasks in one installation, throttled rather than failed", () => {
  it("six tasks under six writes a minute: six PRs, six succeeded status comments, no duplicate", async () => {
    const tasks = 6;
    const result = await simulateConcurrentTasks({
      tasks,
      turns: 8,
      limits: { writesPerMinute: 6, retryAfterSeconds: 20 },
      clock: "on-refusal",
      deadlineMs: 100_000,
    });
    const failed = result.tasks.filter(
      (t) => t.state !== "succeeded" || t.prs !== 1 || t.statusComments !== 1,
    );
    expect(failed).toEqual([]);
    expect(result.tasks.map((t) => t.outcome?.state)).toEqual(Array(tasks).fill("succeeded"));
    expect(result.strayComments).toBe(0);
    // The limit was met, and waited out: throttled, not failed.
    expect(result.usage.limited).toBeGreaterThan(0);
    // Six writes a minute held: GitHub's clock had to move on as many minutes as the writes needed.
    expect(result.simulatedMinutes).toBeGreaterThanOrEqual(result.usage.writes / 6 - 1);
  }, 150_000);
});
