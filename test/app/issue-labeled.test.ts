import { describe, expect, it } from "vitest";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { parseTask } from "../../core/task.ts";
import {
  appComment,
  BRANCH,
  createApp,
  deliver,
  github,
  ISSUE,
  labeledPayload,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  mockReply,
  mockStatusEdit,
  NOW,
  R,
  statusBody,
} from "./harness.ts";
import { mockDispatch } from "./mock-dispatch.ts";

const STATUS_ID = 9001;

describe("issues.labeled", () => {
  it("dispatches a fix-issue task with one status comment and records the run", async () => {
    const { probot, metrics } = await createApp();
    let statusBodyPosted = "";
    let dispatched: { ref?: string; return_run_details?: boolean; inputs: Record<string, string> } = {
      inputs: {},
    };
    const scope = github();
    mockConfig(scope, null);
    mockPermission(scope, "Codertocat", "write");
    mockComments(scope, []);
    scope.post(`${R}/issues/${ISSUE}/reactions`, { content: "eyes" }).reply(201, {});
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => {
        statusBodyPosted = body.body;
        return true;
      })
      .reply(201, { id: STATUS_ID, html_url: "https://github.com/x#c" });
    scope
      .post(`${R}/actions/workflows/agent.yml/dispatches`, (body) => {
        dispatched = body;
        return true;
      })
      .reply(200, {
        workflow_run_id: 77,
        run_url: "https://api.github.com/run/77",
        html_url: "https://github.com/run/77",
      });
    scope
      .get(`${R}/issues/comments/${STATUS_ID}`)
      .reply(200, () => ({ id: STATUS_ID, body: statusBodyPosted }));
    const edited = mockStatusEdit(scope, STATUS_ID);

    await deliver(probot, "issues", labeledPayload(), "d-label-1");

    expect(scope.isDone()).toBe(true);
    expect(parseStatusMarker(statusBodyPosted)).toEqual({
      v: 1,
      task: { kind: "fix-issue", number: ISSUE },
      delivery: "d-label-1",
      actor: "Codertocat",
      state: "queued",
    });
    expect(dispatched.ref).toBe(BRANCH);
    expect(dispatched.return_run_details).toBe(true);
    expect(Object.keys(dispatched.inputs)).toEqual(["task"]);
    const task = parseTask(dispatched.inputs.task ?? "");
    expect(task).toEqual({
      ok: true,
      value: {
        v: 1,
        kind: "fix-issue",
        repo: { owner: "Codertocat", name: "Hello-World" },
        number: ISSUE,
        trigger: { event: "issues", delivery: "d-label-1", actor: "Codertocat", at: NOW.toISOString() },
        statusCommentId: STATUS_ID,
      },
    });
    expect(parseStatusMarker(edited.text())?.run).toEqual({
      id: 77,
      repo: "Codertocat/Hello-World",
      url: "https://github.com/run/77",
    });
    expect(edited.text()).toContain("[#77](https://github.com/run/77)");
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatched" })).toBe(1);
    expect(metrics.dispatches.get({ kind: "fix-issue", result: "ok" })).toBe(1);
  });

  it("ignores other labels after reading the configured one", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "trigger:\n  label: robot\n");
    await deliver(probot, "issues", labeledPayload("agent"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "ignored" })).toBe(1);
  });

  it("uses the configured label", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), "trigger:\n  label: robot\n");
    mockPermission(scope, "Codertocat", "admin");
    // A task for this issue is already running: the re-added label starts nothing and says nothing.
    mockComments(scope, [appComment(5, statusBody({ state: "running" }))]);
    await deliver(probot, "issues", labeledPayload("robot"));
    expect(scope.isDone()).toBe(true);
  });

  it("starts nothing for a redelivered webhook (same delivery id in a status marker)", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockGate({
      comments: [appComment(5, statusBody({ delivery: "d-again", state: "succeeded" }))],
    });
    await deliver(probot, "issues", labeledPayload(), "d-again");
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "duplicate" })).toBe(1);
  });

  it("trusts no marker written by someone other than the App", async () => {
    const { probot, metrics } = await createApp();
    const forged = { ...appComment(5, statusBody({ state: "running" })), performed_via_github_app: null };
    const scope = mockGate({ comments: [forged] });
    mockDispatch(scope, { statusId: STATUS_ID });
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatched" })).toBe(1);
  });

  it("answers an invalid config with its exact errors", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "permissions:\n  minimum: triage\nlimits:\n  turnz: 3\n");
    const answer = mockReply(scope);
    await deliver(probot, "issues", labeledPayload());
    expect(scope.isDone()).toBe(true);
    expect(answer.text()).toContain("`.github/agent.yml` on `main` is invalid");
    expect(answer.text()).toContain(
      "permissions.minimum: expected write, maintain or admin; triage and read cannot be minimums for commands that change code",
    );
    expect(answer.text()).toContain("limits.turnz: unknown key; did you mean 'turns'?");
    expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "invalid-config" })).toBe(1);
  });
});
