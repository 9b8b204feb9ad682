import type nock from "nock";
import { describe, expect, it } from "vitest";
import { FAILED_CHECK_FOLLOW_UP, nextFollowUp } from "../../app/follow-ups/failed-check-follow-ups.ts";
import { EXCERPT_LINES, logTail } from "../../app/follow-ups/failure-excerpt.ts";
import type { StatusComment } from "../../app/github/agent-comments.ts";
import { parseStatusMarker } from "../../core/status-marker.ts";
import {
  appComment,
  createApp,
  deliver,
  example,
  github,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  R,
  statusBody,
  user,
} from "./harness.ts";
import { mockDispatch } from "./mock-dispatch.ts";

/** Issue 15, item 2: event automations the App starts (failed checks, new issues, merged PRs). */

const PULL = 2;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const FOLLOW_UPS = "automations:\n  fixFailedChecks: true\n";

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

function checkPayload(conclusion = "failure", slug = "octocoders-linter") {
  const payload = example("check_run", "completed");
  payload.check_run.conclusion = conclusion;
  payload.check_run.head_sha = HEAD;
  payload.check_run.app.slug = slug;
  payload.check_run.output = {
    title: "2 tests failed",
    summary: "sum.test.js: expected 3, got -1",
    text: null,
  };
  payload.check_run.pull_requests = [{ number: PULL }];
  return payload;
}

function agentCommit(sha: string, message: string, login = "inhouse[bot]", date = "2026-01-01T00:00:00Z") {
  return {
    sha,
    commit: { message, author: { name: login, date }, committer: { date } },
    author: { login },
  };
}

function mockAgentPull(scope: nock.Scope, commits: unknown[]) {
  scope.get(`${R}/pulls/${PULL}`).reply(200, {
    number: PULL,
    state: "open",
    user: { login: "inhouse[bot]", type: "Bot" },
    head: { ref: "agent/fix-issue-1-sum", sha: HEAD, repo: { full_name: "Codertocat/Hello-World" } },
    base: { ref: "main", repo: { full_name: "Codertocat/Hello-World" } },
  });
  scope.get(`${R}/pulls/${PULL}/commits`).query({ per_page: 100 }).reply(200, commits);
}

const FIRST = agentCommit(
  "a".repeat(40),
  "Fix #1: sum\n\nInhouse-Task: fix-issue #1\nInhouse-Requested-By: @alice",
);

describe("check_run.completed: a failed check on the agent's own PR", () => {
  it("starts one fix-pr follow-up for the requester, with the check's output as context", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), FOLLOW_UPS);
    mockAgentPull(scope, [FIRST]);
    mockComments(scope, [], PULL);
    mockPermission(scope, "alice", "write");
    mockComments(scope, [], PULL);
    const sent = mockDispatch(scope, { number: PULL });
    await deliver(probot, "check_run", checkPayload());
    expect(scope.isDone()).toBe(true);
    const task = sent.task();
    expect(task).toMatchObject({ kind: "fix-pr", number: PULL, automation: FAILED_CHECK_FOLLOW_UP });
    expect(task.trigger).toMatchObject({ event: "check_run", actor: "alice" });
    expect(task.instructions).toContain('The check "Octocoders-linter" failed (failure)');
    expect(task.instructions).toContain("sum.test.js: expected 3, got -1");
    expect(task.instructions).toContain("follow-up 1 of at most 2");
  });

  it("reads the failing job's log for a GitHub Actions check run", async () => {
    const { probot } = await createApp();
    const payload = checkPayload("failure", "github-actions");
    const scope = mockConfig(github(), FOLLOW_UPS);
    mockAgentPull(scope, [FIRST]);
    mockComments(scope, [], PULL);
    mockPermission(scope, "alice", "write");
    scope
      .get(`${R}/actions/jobs/${payload.check_run.id}/logs`)
      .reply(
        200,
        "2026-01-02T03:04:05.0000000Z npm test\n2026-01-02T03:04:06.0000000Z Error: boom at sum.js:3\n",
      );
    mockComments(scope, [], PULL);
    const sent = mockDispatch(scope, { number: PULL });
    await deliver(probot, "check_run", payload);
    expect(scope.isDone()).toBe(true);
    expect(sent.task().instructions).toContain("npm test\nError: boom at sum.js:3");
  });

  it("starts nothing once a person pushed to the PR", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), FOLLOW_UPS);
    mockAgentPull(scope, [FIRST, agentCommit("b".repeat(40), "tweak the test", "alice")]);
    await deliver(probot, "check_run", checkPayload());
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "check_run.completed", outcome: "ignored" })).toBe(1);
  });

  it("starts nothing after maxPerPull follow-ups", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "automations:\n  fixFailedChecks: { maxPerPull: 1 }\n");
    mockAgentPull(scope, [FIRST]);
    const earlier = statusBody({
      task: { kind: "fix-pr", number: PULL, automation: FAILED_CHECK_FOLLOW_UP },
      state: "succeeded",
    });
    mockComments(scope, [{ ...appComment(7, earlier), created_at: "2025-12-01T00:00:00Z" }], PULL);
    await deliver(probot, "check_run", checkPayload());
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "check_run.completed", outcome: "ignored" })).toBe(1);
  });

  it("ignores successes and, without fixFailedChecks, failures", async () => {
    const { probot, metrics } = await createApp();
    await deliver(probot, "check_run", checkPayload("success"));
    const scope = mockConfig(github(), null);
    await deliver(probot, "check_run", checkPayload(), "delivery-2");
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "check_run.completed", outcome: "ignored" })).toBe(2);
  });
});

describe("issues.opened with fixNewIssues", () => {
  it("starts a fix for an author at the minimum, and skips one below it quietly", async () => {
    const { probot, metrics } = await createApp();
    const payload = example("issues", "opened");
    payload.sender = user("alice");
    const number = payload.issue.number;
    const scope = mockConfig(github(), "automations:\n  fixNewIssues: true\n", 2);
    mockPermission(scope, "alice", "write");
    mockComments(scope, [], number);
    const sent = mockDispatch(scope, { number });
    await deliver(probot, "issues", payload);
    expect(sent.task()).toMatchObject({
      kind: "fix-issue",
      number,
      trigger: { event: "issues", actor: "alice" },
    });
    payload.sender = user("mallory");
    mockPermission(scope, "mallory", "read");
    await deliver(probot, "issues", payload, "delivery-2");
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issues.opened", outcome: "refused" })).toBe(1);
  });

  it("dispatches to the App-wide default runner repository, as a labelled issue does", async () => {
    const { probot } = await createApp({ defaultRunnerRepo: "acme/agent-runners" });
    const payload = example("issues", "opened");
    payload.sender = user("alice");
    const number = payload.issue.number;
    const scope = mockGate({ config: "automations:\n  fixNewIssues: true\n", actor: "alice", number });
    scope.get("/repos/acme/agent-runners").reply(200, { default_branch: "trunk" });
    const sent = mockDispatch(scope, { number, runnerRepo: "/repos/acme/agent-runners" });
    await deliver(probot, "issues", payload);
    expect(scope.isDone()).toBe(true);
    expect(sent.task()).toMatchObject({ kind: "fix-issue", number });
  });
});

describe("pull_request.closed, merged, with a merged-pull-request automation", () => {
  const MERGE_FOLLOW_UP =
    "automations:\n  tasks:\n    docs-follow-up:\n      event: merged-pull-request\n      instructions: Update docs/.\n";

  function mergedPayload(headRef = "changes") {
    const payload = example("pull_request", "closed");
    payload.pull_request.merged = true;
    payload.pull_request.merged_by = user("alice");
    payload.pull_request.head.ref = headRef;
    return payload;
  }

  it("starts the automation on the merged PR for the person who merged it", async () => {
    const { probot } = await createApp();
    const payload = mergedPayload();
    const number = payload.pull_request.number;
    const scope = mockGate({ config: MERGE_FOLLOW_UP, actor: "alice", number });
    const sent = mockDispatch(scope, { number });
    await deliver(probot, "pull_request", payload);
    expect(scope.isDone()).toBe(true);
    expect(sent.task()).toMatchObject({
      kind: "automation",
      automation: "docs-follow-up",
      number,
      trigger: { event: "pull_request", actor: "alice" },
    });
  });

  it("never follows up the follow-up's own PR, nor a PR closed without merging", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), MERGE_FOLLOW_UP);
    await deliver(probot, "pull_request", mergedPayload("agent/automation-docs-follow-up-2-docs"));
    const closed = mergedPayload();
    closed.pull_request.merged = false;
    await deliver(probot, "pull_request", closed, "delivery-2");
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "pull_request.closed", outcome: "ignored" })).toBe(2);
  });
});

it("the status marker of a follow-up names it, so the next one can count it", () => {
  const body = statusBody({ task: { kind: "fix-pr", number: PULL, automation: FAILED_CHECK_FOLLOW_UP } });
  expect(parseStatusMarker(body)?.task.automation).toBe(FAILED_CHECK_FOLLOW_UP);
});
