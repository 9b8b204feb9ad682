import { describe, expect, it } from "vitest";
import { FAILED_CHECK_FOLLOW_UP, nextFollowUp } from "../../app/follow-ups/failed-check-follow-ups.ts";
import { EXCERPT_LINES, logTail } from "../../app/follow-ups/failure-excerpt.ts";
import type { StatusComment } from "../../app/github/agent-comments.ts";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { octokitFor } from "../e2e/helpers/octokit.ts";
import { agentWorkflow } from "../e2e/helpers/whole-system.ts";
import type { PullIssue } from "../e2e/local-github/shapes/pull.ts";
import type { CheckRunReport } from "../e2e/local-github/webhook-payloads.ts";
import { ALICE, appOnLocalGitHub, OWNER, ROUTE, type Scene, statusBody } from "./app-scene.ts";

/** Issue 15, item 2: event automations the App starts (failed checks, new issues, merged PRs). */

const PULL = 2;
const FOLLOW_UPS = "automations:\n  fixFailedChecks: true\n";
const AGENT_BRANCH = "agent/fix-issue-1-sum";

function status(n: number, createdAt: string, automation = FAILED_CHECK_FOLLOW_UP): StatusComment {
  const marker = {
    v: 1 as const,
    task: { kind: "fix-pr" as const, number: PULL, automation },
    delivery: `d${n}`,
    actor: "alice",
    state: "succeeded" as const,
  };
  return { id: n, url: "", body: "", marker, createdAt };
}

describe("nextFollowUp: at most N, never twice for one commit", () => {
  it("counts only the App's failed-check follow-ups, up to the cap", () => {
    expect(nextFollowUp([], 2, "2026-01-01T00:00:00Z")).toEqual({ ok: true, nth: 1 });
    const people = [status(1, "2025-12-01T00:00:00Z", "other")];
    expect(nextFollowUp(people, 2, "2026-01-01T00:00:00Z")).toEqual({ ok: true, nth: 1 });
    const two = [status(1, "2025-12-01T00:00:00Z"), status(2, "2025-12-02T00:00:00Z")];
    const capped = nextFollowUp(two, 2, "2026-01-01T00:00:00Z");
    expect(capped.ok).toBe(false);
    expect(!capped.ok && capped.why).toContain("maxPerPull is 2");
  });

  it("refuses a failure on a commit made before the newest follow-up started (it saw that one)", () => {
    const one = [status(1, "2026-01-02T00:00:00Z")];
    expect(nextFollowUp(one, 2, "2026-01-01T00:00:00Z").ok).toBe(false);
    expect(nextFollowUp(one, 2, "2026-01-03T00:00:00Z")).toEqual({ ok: true, nth: 2 });
  });
});

describe("logTail", () => {
  it("keeps the last lines without Actions' timestamps", () => {
    const log = Array.from({ length: 200 }, (_, i) => `2026-01-02T03:04:05.1234567Z line ${i}`).join("\n");
    const tail = logTail(log).split("\n");
    expect(tail).toHaveLength(EXCERPT_LINES);
    expect(tail.at(-1)).toBe("line 199");
  });
});

// ---- the App on the local GitHub -----------------------------------------------------------------

/** One local GitHub and App for the file (the App-wide runner repository case has its own App). */
const local = appOnLocalGitHub();

const asUser = (scene: Scene, login: string) => octokitFor(scene.github, scene.github.userToken(login));
/** The App's installation, for what the agent's runs write (their token is the installation's). */
const asAgent = (scene: Scene) => octokitFor(scene.github, scene.github.installationToken());

/** A pull request opened through the API (its own `pull_request.opened` handled) from `head`. */
async function openPull(
  scene: Scene,
  by: ReturnType<typeof octokitFor>,
  head: string,
  title: string,
): Promise<PullIssue> {
  const { data } = await by.rest.pulls.create({
    owner: OWNER,
    repo: scene.repo.name,
    head,
    base: "main",
    title,
  });
  await scene.settle();
  return scene.github.pulls(scene.repo).find((pull) => pull.number === data.number)!;
}

/** The agent's own PR: one agent commit (its trailers name alice as the requester), opened by the App's bot. */
async function agentPull(scene: Scene): Promise<PullIssue> {
  const message = "Fix #1: sum\n\nInhouse-Task: fix-issue #1\nInhouse-Requested-By: @alice";
  await scene.github.commit(
    scene.repo,
    AGENT_BRANCH,
    { "src/sum.js": "export const sum = (a, b) => a + b;\n" },
    message,
  );
  return openPull(scene, asAgent(scene), AGENT_BRANCH, "Fix #1: sum");
}

/** A CI App finishes a check run on the PR's head; the App's handling of it is awaited. */
async function reportCheck(
  scene: Scene,
  pull: PullIssue,
  check: Partial<CheckRunReport> = {},
): Promise<void> {
  const headSha = (await scene.github.branches(scene.repo)).get(pull.pull.headRef)!;
  const delivery = await scene.github.reportCheckRun(scene.repo, {
    headSha,
    headBranch: pull.pull.headRef,
    name: "Octocoders-linter",
    conclusion: "failure",
    output: { title: "2 tests failed", summary: "sum.test.js: expected 3, got -1" },
    appSlug: "octocoders-linter",
    ...check,
  });
  expect(delivery?.status).toBe(200);
  await scene.settle();
}

describe("check_run.completed: a failed check on the agent's own PR", () => {
  const ignored = () =>
    local.app.metrics.deliveries.get({ event: "check_run.completed", outcome: "ignored" });

  it("starts one fix-pr follow-up for the requester, with the check's output as context", async () => {
    const scene = await local.scene({ config: FOLLOW_UPS });
    const pull = await agentPull(scene);
    await reportCheck(scene, pull);
    const [task, ...more] = scene.dispatchedTasks();
    expect(more).toEqual([]);
    expect(task).toMatchObject({ kind: "fix-pr", number: pull.number, automation: FAILED_CHECK_FOLLOW_UP });
    expect(task!.trigger).toMatchObject({ event: "check_run", actor: ALICE });
    expect(task!.instructions).toContain('The check "Octocoders-linter" failed (failure)');
    expect(task!.instructions).toContain("sum.test.js: expected 3, got -1");
    expect(task!.instructions).toContain("follow-up 1 of at most 2");
    // Its status marker names the follow-up, so the next failure counts it.
    expect(
      scene.statuses(pull).map((s) => [s.marker.task.automation, s.marker.actor, s.marker.state]),
    ).toEqual([[FAILED_CHECK_FOLLOW_UP, ALICE, "queued"]]);
  });

  it("reads the failing job's log for a GitHub Actions check run", async () => {
    const scene = await local.scene({ config: FOLLOW_UPS });
    const pull = await agentPull(scene);
    const since = scene.mark();
    const log =
      "2026-01-02T03:04:05.0000000Z npm test\n2026-01-02T03:04:06.0000000Z Error: boom at sum.js:3\n";
    await reportCheck(scene, pull, { appSlug: "github-actions", name: "test", log });
    expect(scene.appRequests(since)).toContain("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs");
    expect(scene.dispatchedTasks()[0]?.instructions).toContain("npm test\nError: boom at sum.js:3");
  });

  it("starts nothing once a person pushed to the PR", async () => {
    const scene = await local.scene({ config: FOLLOW_UPS });
    const pull = await agentPull(scene);
    // A commit without the agent's trailers: someone took the PR over.
    await scene.github.commit(
      scene.repo,
      AGENT_BRANCH,
      { "sum.test.js": "// more cases\n" },
      "tweak the test",
    );
    const [before, since] = [ignored(), scene.mark()];
    await reportCheck(scene, pull);
    expect(ignored()).toBe(before + 1);
    expect(scene.appRequests(since)).toContain("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits");
    expect(scene.appWrites(since)).toEqual([]);
    expect(scene.dispatchedTasks()).toEqual([]);
  });

  it("starts nothing after maxPerPull follow-ups", async () => {
    const scene = await local.scene({ config: "automations:\n  fixFailedChecks: { maxPerPull: 1 }\n" });
    const pull = await agentPull(scene);
    scene.appWrote(
      pull,
      statusBody(1, {
        task: { kind: "fix-pr", number: pull.number, automation: FAILED_CHECK_FOLLOW_UP },
        state: "succeeded",
      }),
    );
    const [before, since] = [ignored(), scene.mark()];
    await reportCheck(scene, pull);
    expect(ignored()).toBe(before + 1);
    expect(scene.appWrites(since)).toEqual([]);
    expect(scene.dispatchedTasks()).toEqual([]);
  });

  it("ignores successes and, without fixFailedChecks, failures", async () => {
    const scene = await local.scene();
    const pull = await agentPull(scene);
    const [before, since] = [ignored(), scene.mark()];
    await reportCheck(scene, pull, { conclusion: "success" });
    // A success is judged on the payload alone: not one request.
    expect(scene.appRequests(since)).toEqual([]);
    await reportCheck(scene, pull);
    expect(scene.appRequests(since)).toEqual(["GET /repos/{owner}/{repo}/contents/{path}"]);
    expect(ignored()).toBe(before + 2);
    expect(scene.dispatchedTasks()).toEqual([]);
  });
});

describe("issues.opened with fixNewIssues", () => {
  it("starts a fix for an author at the minimum, and skips one below it quietly", async () => {
    const scene = await local.scene({ config: "automations:\n  fixNewIssues: true\n" });
    await scene.github.userOpensIssue(scene.repo, { title: "sum subtracts", user: ALICE });
    await scene.settle();
    const issue = scene.github.state.issues.find((i) => i.repo === scene.repo && i.user.login === ALICE)!;
    expect(scene.dispatchedTasks()).toEqual([
      expect.objectContaining({
        kind: "fix-issue",
        number: issue.number,
        trigger: expect.objectContaining({ event: "issues", actor: ALICE }),
      }),
    ]);
    expect(scene.statuses(issue).map((s) => s.marker.state)).toEqual(["queued"]);

    scene.github.addCollaborator(scene.repo, "mallory", "read");
    const refused = () => local.app.metrics.deliveries.get({ event: "issues.opened", outcome: "refused" });
    const before = refused();
    await scene.github.userOpensIssue(scene.repo, { title: "sum multiplies", user: "mallory" });
    await scene.settle();
    const theirs = scene.github.state.issues.find(
      (i) => i.repo === scene.repo && i.user.login === "mallory",
    )!;
    expect(refused()).toBe(before + 1);
    expect(scene.appComments(theirs)).toEqual([]);
    expect(scene.dispatchedTasks()).toHaveLength(1);
  });
});

describe("issues.opened with an App-wide default runner repository", () => {
  const withRunners = appOnLocalGitHub({ app: { defaultRunnerRepo: `${OWNER}/agent-runners` } });

  it("dispatches to the App-wide default runner repository, as a labelled issue does", async () => {
    const scene = await withRunners.scene({ config: "automations:\n  fixNewIssues: true\n" });
    const runners = await scene.github.createRepo(
      "agent-runners",
      { ".github/workflows/agent.yml": await agentWorkflow() },
      { defaultBranch: "trunk" },
    );
    await scene.github.userOpensIssue(scene.repo, { title: "sum subtracts", user: ALICE });
    await scene.settle();
    const issue = scene.github.state.issues.find((i) => i.repo === scene.repo)!;
    expect(scene.dispatchedTasks()).toEqual([]);
    expect(scene.dispatchedTasks(runners)).toEqual([
      expect.objectContaining({ kind: "fix-issue", number: issue.number }),
    ]);
    // The run is on the runner repository's own default branch, which the App read.
    expect(scene.github.state.runs.find((run) => run.repo === runners)?.headBranch).toBe("trunk");
  });
});

describe("pull_request.closed, merged, with a merged-pull-request automation", () => {
  const MERGE_FOLLOW_UP =
    "automations:\n  tasks:\n    docs-follow-up:\n      event: merged-pull-request\n      instructions: Update docs/.\n";
  const ignored = () =>
    local.app.metrics.deliveries.get({ event: "pull_request.closed", outcome: "ignored" });

  /** alice's PR from `branch`, with one change of hers on it. */
  async function alicePull(scene: Scene, branch = "changes"): Promise<PullIssue> {
    await scene.github.commit(scene.repo, branch, { "docs.md": `${branch}\n` }, "Change the docs");
    return openPull(scene, asUser(scene, ALICE), branch, "Change the docs");
  }

  it("starts the automation on the merged PR for the person who merged it", async () => {
    const scene = await local.scene({ config: MERGE_FOLLOW_UP });
    const pull = await alicePull(scene);
    await scene.github.mergePull(pull, ALICE);
    await scene.settle();
    expect(scene.dispatchedTasks()).toEqual([
      expect.objectContaining({
        kind: "automation",
        automation: "docs-follow-up",
        number: pull.number,
        trigger: expect.objectContaining({ event: "pull_request", actor: ALICE }),
      }),
    ]);
    expect(scene.statuses(pull).map((s) => s.marker.task.automation)).toEqual(["docs-follow-up"]);
  });

  it("never follows up the follow-up's own PR, nor a PR closed without merging", async () => {
    const scene = await local.scene({ config: MERGE_FOLLOW_UP });
    const branch = "agent/automation-docs-follow-up-2-docs";
    await scene.github.commit(scene.repo, branch, { "docs.md": "docs\n" }, "Update docs");
    const followUp = await openPull(scene, asAgent(scene), branch, "Docs follow-up");
    const closed = await alicePull(scene);
    const [before, since] = [ignored(), scene.mark()];
    await scene.github.mergePull(followUp, ALICE);
    // alice closes her PR without merging it.
    await asUser(scene, ALICE).rest.pulls.update({
      owner: OWNER,
      repo: scene.repo.name,
      pull_number: closed.number,
      state: "closed",
    });
    await scene.settle();
    expect(ignored()).toBe(before + 2);
    expect(scene.appWrites(since)).not.toContain(ROUTE.dispatch);
    expect(scene.dispatchedTasks()).toEqual([]);
  });
});

it("the status marker of a follow-up names it, so the next one can count it", () => {
  const body = statusBody(1, { task: { kind: "fix-pr", number: PULL, automation: FAILED_CHECK_FOLLOW_UP } });
  expect(parseStatusMarker(body)?.task.automation).toBe(FAILED_CHECK_FOLLOW_UP);
});
