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
 * `onSecondaryRateLimit` never retries, the task is lost. GitHub's minute runs a hundred times
 * faster here (the production Octokit's waits are shrunk as much by `startApp`).
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
    const start = Date.now();
    github.rateLimits.useClock(new Clock(() => start + (Date.now() - start) * 100));
    // Two content-creating requests a minute: the App's third write of the task meets the limit.
    github.rateLimits.configure({ writesPerMinute: 2, retryAfterSeconds: 10 });
    app = await startApp(github, { octokit });
    const repo = await github.createRepo("widget", await widgetFiles());
    github.addCollaborator(repo, "alice", "write");
    const issue = github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    await github.labelIssue(issue, "agent", "alice");
    await github.idle();
    await app.idle();
    const statuses = github.commentsOn(issue).filter((c) => parseStatusMarker(c.body) !== undefined);
    return { github, app, statuses, runs: github.state.runs };
  }

  it("dispatches the task after waiting, with one status comment", async () => {
    const { github, app, statuses, runs } = await labelUnderLimit("production");
    expect(github.usage().limited).toBeGreaterThan(0);
    expect(runs).toHaveLength(1);
    expect(statuses).toHaveLength(1);
    expect(parseStatusMarker(statuses[0]!.body)?.run?.id).toBe(runs[0]!.id);
    expect(app.errors).toEqual([]);
  });

  it("the naive way (Probot's throttle options alone) loses the task to the limit", async () => {
    const { github, app, runs } = await labelUnderLimit("blind-retry");
    expect(github.usage().limited).toBeGreaterThan(0);
    expect(runs).toHaveLength(0);
    expect(app.errors.length).toBeGreaterThan(0);
  });
});
