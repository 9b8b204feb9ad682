import { describe, expect, it } from "vitest";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { parseTask } from "../../core/task.ts";
import {
  appComment,
  COMMENT_ID,
  commentPayload,
  createApp,
  deliver,
  example,
  github,
  ISSUE,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  mockReply,
  R,
  statusBody,
} from "./harness.ts";

const STATUS_ID = 9100;

/** The full happy path of a comment trigger; returns what was posted. */
function mockDispatch(scope: ReturnType<typeof github>) {
  const seen = { status: "", inputs: "", reactedOnComment: false };
  scope.post(`${R}/issues/comments/${COMMENT_ID}/reactions`, { content: "eyes" }).reply(201, () => {
    seen.reactedOnComment = true;
    return {};
  });
  scope
    .post(`${R}/issues/${ISSUE}/comments`, (body) => {
      seen.status = body.body;
      return true;
    })
    .reply(201, { id: STATUS_ID });
  scope
    .post(`${R}/actions/workflows/agent.yml/dispatches`, (body) => {
      seen.inputs = body.inputs.task;
      return body.ref === "main" && body.return_run_details === true;
    })
    .reply(200, { workflow_run_id: 5, html_url: "https://github.com/run/5" });
  scope.get(`${R}/issues/comments/${STATUS_ID}`).reply(200, () => ({ id: STATUS_ID, body: seen.status }));
  scope
    .patch(`${R}/issues/comments/${STATUS_ID}`, (body) => parseStatusMarker(body.body)?.run?.id === 5)
    .reply(200, {});
  return seen;
}

describe("issue_comment.created", () => {
  it("/agent fix on an issue dispatches fix-issue with the extra instructions", async () => {
    const { probot } = await createApp();
    const scope = mockGate({ role: "maintain" });
    const seen = mockDispatch(scope);
    await deliver(
      probot,
      "issue_comment",
      commentPayload("/agent fix keep the public API\nand add a test"),
      "d-c1",
    );
    expect(scope.isDone()).toBe(true);
    expect(seen.reactedOnComment).toBe(true);
    const task = parseTask(seen.inputs);
    expect(task.ok && task.value).toMatchObject({
      kind: "fix-issue",
      number: ISSUE,
      instructions: "keep the public API\nand add a test",
      trigger: { event: "issue_comment", delivery: "d-c1", actor: "Codertocat", commentId: COMMENT_ID },
      statusCommentId: STATUS_ID,
    });
  });

  it("/agent fix on a pull request dispatches fix-pr; /agent review dispatches review", async () => {
    for (const [body, kind] of [
      ["/agent fix", "fix-pr"],
      ["/agent review focus on security", "review"],
    ] as const) {
      const { probot } = await createApp();
      const scope = mockGate();
      const seen = mockDispatch(scope);
      await deliver(probot, "issue_comment", commentPayload(body, { onPullRequest: true }), `d-${kind}`);
      expect(scope.isDone()).toBe(true);
      const task = parseTask(seen.inputs);
      expect(task.ok && task.value.kind).toBe(kind);
      expect(parseStatusMarker(seen.status)?.task).toEqual({ kind, number: ISSUE });
    }
  });

  it("/agent review on an issue explains where it works", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), null);
    mockPermission(scope, "Codertocat", "write");
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) =>
        body.body.includes("`/agent review` works on pull requests"),
      )
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent review"));
    expect(scope.isDone()).toBe(true);
  });

  it("a second trigger while a task runs gets 'already running' with a link, not a second run", async () => {
    const { probot, metrics } = await createApp();
    const running = appComment(
      44,
      statusBody({ state: "running", run: { id: 3, repo: "Codertocat/Hello-World" } }),
    );
    const scope = mockGate({
      comments: [appComment(43, statusBody({ state: "succeeded", delivery: "older" })), running],
    });
    scope
      .post(
        `${R}/issues/${ISSUE}/comments`,
        (body) => body.body.includes("already running") && body.body.includes(running.html_url),
      )
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent fix"));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "busy" })).toBe(1);
  });

  it("two deliveries at once start one task: the second sees the first one's status comment", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), null, 2);
    scope
      .get(`${R}/collaborators/Codertocat/permission`)
      .times(2)
      .reply(200, { permission: "admin", role_name: "admin" });
    mockComments(scope, []);
    const seen = mockDispatch(scope);
    // The second read of the comments happens after the first task posted its status.
    scope
      .get(`${R}/issues/${ISSUE}/comments`)
      .query({ per_page: 100 })
      .reply(200, () => [appComment(STATUS_ID, seen.status)]);
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => body.body.includes("already running"))
      .reply(201, { id: 2 });
    await Promise.all([
      deliver(probot, "issue_comment", commentPayload("/agent fix"), "d-a"),
      deliver(probot, "issue_comment", commentPayload("/agent fix"), "d-b"),
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ["quoted", "> /agent fix\n\nI agree with the above"],
    ["fenced", "Try this:\n```\n/agent fix\n```"],
    ["inline code", "`/agent fix` is the command"],
    ["mid-sentence", "please run /agent fix"],
  ])("a %s command does not trigger", async (_kind, body) => {
    const { probot, metrics } = await createApp();
    // A fenced line starts with a slash, so the config is read before the grammar rejects it.
    const scope = github();
    if (body.includes("```")) mockConfig(scope, null);
    await deliver(probot, "issue_comment", commentPayload(body));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "ignored" })).toBe(1);
  });

  it("an edited comment does not trigger", async () => {
    const { probot, metrics } = await createApp();
    const payload = example("issue_comment", "edited");
    payload.comment.body = "/agent fix";
    await deliver(probot, "issue_comment", payload);
    expect(metrics.render()).not.toContain("issue_comment");
  });

  it("the App's own comments never trigger", async () => {
    const { probot, metrics } = await createApp();
    await deliver(
      probot,
      "issue_comment",
      commentPayload("/agent fix", { viaAppId: 1, by: { login: "inhouse[bot]", type: "Bot" } as never }),
    );
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "ignored" })).toBe(1);
  });

  it("uses the configured command prefix", async () => {
    const { probot } = await createApp();
    const scope = mockGate({ config: "trigger:\n  command: /bot\n" });
    const seen = mockDispatch(scope);
    await deliver(probot, "issue_comment", commentPayload("/bot fix"));
    expect(scope.isDone()).toBe(true);
    expect(parseTask(seen.inputs).ok).toBe(true);
  });

  it("answers an invalid config with the exact errors to a writer", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), "model:\n  endpoint: http://evil\n");
    mockPermission(scope, "Codertocat", "write");
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) =>
        body.body.includes(
          "model.endpoint: not allowed in .github/agent.yml: model endpoints and keys are runner-side settings",
        ),
      )
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent fix"));
    expect(scope.isDone()).toBe(true);
  });

  it("says nothing about an invalid config to someone who could not run the command", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), "nope: 1\n");
    mockPermission(scope, "Codertocat", "read");
    await deliver(probot, "issue_comment", commentPayload("/agent fix"));
    expect(scope.isDone()).toBe(true);
  });

  it("/agent help answers with the commands and the effective config", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "limits:\n  turns: 12\n");
    mockPermission(scope, "Codertocat", "read");
    const answer = mockReply(scope);
    await deliver(probot, "issue_comment", commentPayload("/agent help"));
    expect(scope.isDone()).toBe(true);
    expect(answer.text()).toContain("`/agent fix [instructions]`");
    expect(answer.text()).toContain("`/agent stop`");
    expect(answer.text()).toContain("Effective configuration (from `.github/agent.yml`)");
    expect(answer.text()).toMatch(/turns: 12/);
    expect(answer.text()).toMatch(/minimum: write/);
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "answered" })).toBe(1);
  });

  it("an unknown subcommand is answered with help", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), null);
    mockPermission(scope, "Codertocat", "write");
    scope
      .post(
        `${R}/issues/${ISSUE}/comments`,
        (body) => body.body.startsWith("Unknown command `frobnicate`") && body.body.includes("defaults: no"),
      )
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent frobnicate"));
    expect(scope.isDone()).toBe(true);
  });
});
