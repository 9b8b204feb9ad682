import { describe, expect, it } from "vitest";
import type { Task } from "../../core/task.ts";
import {
  checkDispatchedTask,
  checkScheduledTask,
  type StatusCommentEvidence,
} from "../../core/task-authenticity.ts";
import { makeTask, TRIGGER_AT } from "../action/github/fixtures.ts";
import { appStatusComment, TEST_APP } from "../helpers/app-status-comment.ts";

const NOW = new Date(TRIGGER_AT);
const BY_APP = { event: "workflow_dispatch", triggeringActor: "inhouse[bot]" };

function evidence(task: Task, options: Parameters<typeof appStatusComment>[1] = {}): StatusCommentEvidence {
  const c = appStatusComment(task, options);
  return { issueUrl: c.issue_url, body: c.body, app: c.performed_via_github_app };
}

function check(task: Task, comment = evidence(task), run = BY_APP, now = NOW) {
  return checkDispatchedTask(task, comment, TEST_APP.id, run, now);
}

describe("checkDispatchedTask", () => {
  it("accepts the task the App's own status comment describes, dispatched by the App's bot", () => {
    expect(check(makeTask())).toEqual({ ok: true, appSlug: "inhouse" });
    expect(check(makeTask(), evidence(makeTask()), { ...BY_APP, triggeringActor: "Inhouse[BOT]" }).ok).toBe(
      true,
    );
  });

  it("hands on the central runner repository the App recorded in its comment, and only that", () => {
    const task = makeTask();
    expect(check(task, evidence(task, { runner: "acme/agent-runners" }))).toEqual({
      ok: true,
      appSlug: "inhouse",
      runner: "acme/agent-runners",
    });
    // The same marker text typed by a person is refused outright: its runner is never read.
    expect(check(task, evidence(task, { runner: "evil/runner", by: null })).ok).toBe(false);
  });

  it("refuses a marker copied into a comment a person wrote", () => {
    const verdict = check(makeTask(), evidence(makeTask(), { by: null }));
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining("not written by the inhouse App") });
  });

  it("refuses a comment another App wrote", () => {
    const verdict = check(makeTask(), evidence(makeTask(), { by: { id: 7, slug: "other" } }));
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain("by the App other (id 7)");
  });

  it("refuses a task that names another actor, number, kind or delivery than the App's marker", () => {
    const real = makeTask();
    const forged: [string, Task][] = [
      ["actor alice ≠ admin", { ...real, trigger: { ...real.trigger, actor: "admin" } }],
      ["delivery dlv-1 ≠ dlv-2", { ...real, trigger: { ...real.trigger, delivery: "dlv-2" } }],
      ["kind fix-issue ≠ fix-pr", { ...real, kind: "fix-pr" }],
    ];
    for (const [expected, task] of forged) {
      const verdict = check(task, evidence(real));
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && verdict.reason).toContain(expected);
    }
  });

  it("refuses an App comment that sits on another issue or repository", () => {
    const other = makeTask({ number: 13 });
    expect(check(makeTask(), evidence(other)).ok).toBe(false);
    const elsewhere = makeTask({ repo: { owner: "acme", name: "other" } });
    expect(check(makeTask(), evidence(elsewhere)).ok).toBe(false);
  });

  it("refuses a task whose status comment already ended", () => {
    const verdict = check(makeTask(), evidence(makeTask(), { state: "succeeded" }));
    expect(!verdict.ok && verdict.reason).toContain("already ended (succeeded)");
  });

  it("refuses a run a person dispatched, whatever the task text says", () => {
    const verdict = check(makeTask(), evidence(makeTask()), {
      event: "workflow_dispatch",
      triggeringActor: "mallory",
    });
    expect(!verdict.ok && verdict.reason).toContain("dispatched by mallory, not by the App (inhouse[bot])");
    expect(
      check(makeTask(), evidence(makeTask()), { event: "push", triggeringActor: "inhouse[bot]" }).ok,
    ).toBe(false);
  });

  it("refuses a trigger time in the future, beyond a minute of clock drift", () => {
    expect(
      check(makeTask(), evidence(makeTask()), BY_APP, new Date(Date.parse(TRIGGER_AT) - 30_000)).ok,
    ).toBe(true);
    const verdict = check(
      makeTask(),
      evidence(makeTask()),
      BY_APP,
      new Date(Date.parse(TRIGGER_AT) - 120_000),
    );
    expect(!verdict.ok && verdict.reason).toContain("lies in the future");
  });
});

describe("checkScheduledTask", () => {
  const automation = makeTask({
    kind: "automation",
    automation: "weekly-deps",
    number: undefined,
    statusCommentId: undefined,
  });

  it("accepts a schedule run, and a workflow_dispatch that names its own triggering actor", () => {
    expect(checkScheduledTask(automation, { event: "schedule", triggeringActor: "someone" }).ok).toBe(true);
    expect(checkScheduledTask(automation, { event: "workflow_dispatch", triggeringActor: "ALICE" }).ok).toBe(
      true,
    );
  });

  it("refuses a dispatch that names someone else, another event, and a non-automation task without a status comment", () => {
    expect(
      checkScheduledTask(automation, { event: "workflow_dispatch", triggeringActor: "mallory" }).ok,
    ).toBe(false);
    expect(checkScheduledTask(automation, { event: "push", triggeringActor: "alice" }).ok).toBe(false);
    const noComment = makeTask({ statusCommentId: undefined });
    expect(checkScheduledTask(noComment, { event: "schedule", triggeringActor: "x" }).ok).toBe(false);
  });
});
