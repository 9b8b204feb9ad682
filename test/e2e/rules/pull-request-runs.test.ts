import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import type { PullIssue } from "../local-github/shapes/pull.ts";
import type { RepoRecord } from "../local-github/state.ts";

const CI =
  "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n";
const NAMED_CI = `name: CI\nrun-name: "checks for #\${{ github.event.number }}"\non: pull_request\njobs: {}\n`;

/** `pull-request-run.ts`: the run GitHub starts for a pull request, including one from a fork. */
describe("local GitHub: workflow runs a pull request starts", () => {
  let github: LocalGitHub;
  let base: RepoRecord;
  let forked: PullIssue;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    base = await github.createRepo("widget", {
      ".github/workflows/ci.yml": CI,
      ".github/workflows/release.yml": "name: release\non: workflow_dispatch\njobs: {}\n",
    });
    const fork = await github.fork(base, "fran");
    // The fork's pull request brings a workflow the base does not have.
    await github.commit(fork, "feature", { ".github/workflows/named.yml": NAMED_CI }, "Fran's change");
    const { data } = await octokitFor(github, github.userToken("fran")).rest.pulls.create({
      owner: "acme",
      repo: "widget",
      title: "Make sum add",
      head: "fran:feature",
      base: "main",
    });
    forked = github.pulls(base).find((pull) => pull.number === data.number)!;
  });

  afterAll(async () => {
    await github?.close();
  });

  it("runs in the base repository as the author, titled with the pull request's title without run-name", async () => {
    const run = await github.pullRequestRun(forked, "ci.yml");
    expect(run).toMatchObject({
      repo: base,
      event: "pull_request",
      actor: { login: "fran" },
      headBranch: "feature",
      displayTitle: "Make sum add",
      status: "queued",
    });
    expect(github.state.runs).toContain(run);
    const delivery = await github.completeRun(run, "failure");
    expect(delivery.payload.workflow_run).toMatchObject({
      event: "pull_request",
      path: ".github/workflows/ci.yml",
      display_title: "Make sum add",
      conclusion: "failure",
    });
  });

  it("runs the workflow as the pull request has it, with run-name rendered from the event", async () => {
    const run = await github.pullRequestRun(forked, "named.yml");
    expect(run.displayTitle).toBe(`checks for #${forked.number}`);
  });

  it("starts nothing for a workflow without on.pull_request", async () => {
    await expect(github.pullRequestRun(forked, "release.yml")).rejects.toThrow(/no on\.pull_request/);
  });
});
