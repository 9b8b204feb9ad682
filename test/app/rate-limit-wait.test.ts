import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { type AppUnderTest, type StartAppOptions, startApp } from "../e2e/helpers/app-under-test.ts";
import { widgetFiles } from "../e2e/helpers/scenario-one.ts";
import { Clock } from "../e2e/local-github/clock.ts";
import { LocalGitHub } from "../e2e/local-github/local-github.ts";

/**
 * The App's writes when the installation's content-creation limit is spent (GitHub's secondary
 * limit, 403 with retry-after): with its production Octokit the App waits the limit out
 * (`core/github/rate-limit-wait.ts`) and the task starts; with Probot's own throttle options, whose
 * `onSecondaryRateLimit` never retries, the task is lost. The production Octokit's waits are shrunk
 * a hundredfold by `startApp`.
 */
describe("App: GitHub's content-creation limit is waited out, not a lost task", () => {
  let github: LocalGitHub | undefined;
  let app: AppUnderTest | undefined;
  afterEach(async () => {
    await app?.close();
    await github?.close();
  });

  async function labelUnderLimit(octokit: StartAppOptions["octokit"]) {
    github = await LocalGitHub.start({ owner: "acme" });
    // GitHub's minute stands still until the limit has refused a write, then passes: the test does
    // not depend on how fast this machine makes the App's writes.
    const clock = new Clock(() => 0);
    github.rateLimits.useClock(clock);
    // Two content-creating requests a minute: the App's third write of the task meets the limit.
    github.rateLimits.configure({ writesPerMinute: 2, retryAfterSeconds: 10 });
    app = await startApp(github, { octokit });
    const repo = await github.createRepo("widget", await widgetFiles());
    github.addCollaborator(repo, "alice", "write");
    const issue = github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    await github.labelIssue(issue, "agent", "alice");
    for (let i = 0; i < 600 && github.usage().limited === 0; i++) await sleep(50);
    clock.advance(61_000);
    await github.idle();
    await app.idle();
    const statuses = github.commentsOn(issue).filter((c) => parseStatusMarker(c.body) !== undefined);
    return { github, app, statuses, runs: github.state.runs };
  }

  it("dispatches the task after waiting, with one status comment", { timeout: 90_000 }, async () => {
    const { github, app, statuses, runs } = await labelUnderLimit("production");
    expect(github.usage().limited).toBeGreaterThan(0);
    expect(runs).toHaveLength(1);
    expect(statuses).toHaveLength(1);
    expect(parseStatusMarker(statuses[0]!.body)?.run?.id).toBe(runs[0]!.id);
    expect(app.errors).toEqual([]);
  });

  it("the naive way (Probot's throttle options alone) loses the task to the limit", {
    timeout: 90_000,
  }, async () => {
    const { github, runs } = await labelUnderLimit("blind-retry");
    expect(github.usage().limited).toBeGreaterThan(0);
    // The dispatch met the limit and was never sent again: no run, whatever the comment says.
    expect(runs).toHaveLength(0);
  });
});
