import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { type AppUnderTest, type StartAppOptions, startApp } from "../e2e/helpers/app-under-test.ts";
import { widgetFiles } from "../e2e/helpers/scenario-one.ts";
import { LocalGitHub } from "../e2e/local-github/local-github.ts";
import type { IssueRecord } from "../e2e/local-github/state.ts";

/**
 * The App's writes when GitHub answers 5xx after doing the work (its frontend timed out while the
 * backend wrote): the real App against the local GitHub, with its production Octokit (plugin-retry,
 * plugin-throttling and the write-once rule of core/github/write-once.ts) and, side by side, with
 * Probot's retries alone (what the App had before). No runner is attached, so each dispatched run
 * stays queued: what is counted is what the App made.
 */
const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

function appAgainstLocalGitHub(octokit: StartAppOptions["octokit"]) {
  const system = {} as { github: LocalGitHub; app: AppUnderTest };
  let repos = 0;
  beforeAll(async () => {
    system.github = await LocalGitHub.start({ owner: "acme" });
    system.app = await startApp(system.github, { octokit });
  });
  afterAll(async () => {
    await system.app?.close();
    await system.github?.close();
  });
  /** A fresh repository and an issue alice labels `agent`, with `faults` armed first. */
  const label = async (...faults: Parameters<LocalGitHub["faults"]["inject"]>[0][]) => {
    const { github, app } = system;
    repos += 1;
    const repo = await github.createRepo(`widget-${repos}`, await widgetFiles());
    github.addCollaborator(repo, "alice", "write");
    const issue = github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    for (const fault of faults) github.faults.inject(fault);
    await github.labelIssue(issue, "agent", "alice");
    await github.idle();
    await app.idle();
    const runs = github.state.runs.filter((run) => run.repo.name === repo.name);
    const dispatches = github
      .requests()
      .filter((r) => r.route === DISPATCH && r.path.includes(`/${repo.name}/`));
    return { github, app, issue, runs, dispatches };
  };
  return label;
}

const statusComments = (github: LocalGitHub, issue: IssueRecord) =>
  github.commentsOn(issue).filter((c) => parseStatusMarker(c.body) !== undefined);

describe("App: a create GitHub answered with 5xx is not made twice", () => {
  const label = appAgainstLocalGitHub("production");

  it("one status comment and one workflow run when both were answered 502 after they were made", async () => {
    const { github, app, issue, runs, dispatches } = await label(
      { route: COMMENT, status: 502, when: "after" },
      { route: DISPATCH, status: 502, when: "after" },
    );
    expect(github.faults.fired.map((f) => f.route)).toEqual([COMMENT, DISPATCH]);
    const statuses = statusComments(github, issue);
    expect(statuses).toHaveLength(1);
    expect(runs).toHaveLength(1);
    expect(dispatches).toHaveLength(1);
    // The status comment names the run the dispatch made, found by its run-name tag.
    expect(parseStatusMarker(statuses[0]!.body)?.run?.id).toBe(runs[0]!.id);
    expect(github.violations()).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  it("sends the dispatch again when GitHub answered 503 before making anything", async () => {
    const { github, app, issue, runs, dispatches } = await label({
      route: DISPATCH,
      status: 503,
      when: "before",
    });
    expect(dispatches.map((r) => r.status)).toEqual([503, 200]);
    expect(runs).toHaveLength(1);
    expect(statusComments(github, issue).map((c) => parseStatusMarker(c.body)?.state)).toEqual(["queued"]);
    expect(app.errors).toEqual([]);
  });
});

describe("App, the naive way: Probot's retries without the write-once rule", () => {
  const label = appAgainstLocalGitHub("blind-retry");

  it("makes two status comments and two workflow runs for one task", async () => {
    const { github, issue, runs } = await label(
      { route: COMMENT, status: 502, when: "after" },
      { route: DISPATCH, status: 502, when: "after" },
    );
    expect(statusComments(github, issue)).toHaveLength(2);
    expect(runs).toHaveLength(2);
  });
});
