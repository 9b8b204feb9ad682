import { describe, expect, it } from "vitest";
import {
  createApp,
  deliver,
  example,
  github,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  R,
  user,
} from "./harness.ts";
import { mockDispatch } from "./mock-dispatch.ts";

/** Issue 15, item 3: `/agent fix` in a review's body or on a line of the diff. */

describe("/agent fix in reviews and on diff lines", () => {
  it("a line comment starts a fix-pr task whose instructions name the file, the lines and the comment", async () => {
    const { probot } = await createApp();
    const payload = example("pull_request_review_comment", "created");
    payload.comment.body = "/agent fix use a constant here";
    payload.comment.user = user("alice");
    payload.comment.path = "src/sum.js";
    payload.comment.line = 4;
    payload.comment.start_line = 2;
    payload.comment.diff_hunk = "@@ -1,3 +1,4 @@\n+const x = 1;";
    const number = payload.pull_request.number;
    const scope = mockGate({ actor: "alice", number });
    const sent = mockDispatch(scope, { number });
    await deliver(probot, "pull_request_review_comment", payload);
    expect(scope.isDone()).toBe(true);
    const task = sent.task();
    expect(task).toMatchObject({ kind: "fix-pr", number, trigger: { actor: "alice" } });
    expect(task.trigger.commentId).toBeUndefined();
    // v2 only for this task: the agent answers in the thread (its first comment) and may resolve it.
    expect(task.v).toBe(2);
    expect(task.reviewComment).toEqual({
      id: payload.comment.in_reply_to_id ?? payload.comment.id,
      path: "src/sum.js",
    });
    expect(task.instructions).toContain("use a constant here");
    expect(task.instructions).toContain("`src/sum.js` lines 2–4");
    expect(task.instructions).toContain("> /agent fix use a constant here");
    expect(task.instructions).toContain("+const x = 1;");
  });

  it("a review body starts a fix-pr task that quotes the review", async () => {
    const { probot } = await createApp();
    const payload = example("pull_request_review", "submitted");
    payload.review.body = "Close.\n/agent fix handle the empty list";
    payload.review.user = user("alice");
    const number = payload.pull_request.number;
    const scope = mockGate({ actor: "alice", number });
    const sent = mockDispatch(scope, { number });
    await deliver(probot, "pull_request_review", payload);
    expect(scope.isDone()).toBe(true);
    expect(sent.task().instructions).toContain("handle the empty list");
    expect(sent.task().instructions).toContain("Asked by @alice in a pull request review");
    expect(sent.task()).toMatchObject({ v: 1 });
    expect(sent.task().reviewComment).toBeUndefined();
  });

  it("a bot's review (the App's own, written by the model) never commands the agent, and a reader is refused", async () => {
    const { probot, metrics } = await createApp();
    const bot = example("pull_request_review", "submitted");
    bot.review.body = "/agent fix everything";
    bot.review.user = user("inhouse[bot]", "Bot");
    const scope = mockConfig(github(), null, 2);
    await deliver(probot, "pull_request_review", bot);
    expect(metrics.deliveries.get({ event: "pull_request_review.submitted", outcome: "ignored" })).toBe(1);
    const reader = example("pull_request_review_comment", "created");
    reader.comment.body = "/agent fix";
    reader.comment.user = user("rita");
    mockPermission(scope, "rita", "read");
    mockComments(scope, [], reader.pull_request.number);
    scope.post(`${R}/issues/${reader.pull_request.number}/comments`).reply(201, { id: 1 });
    await deliver(probot, "pull_request_review_comment", reader, "delivery-2");
    expect(scope.isDone()).toBe(true);
    expect(metrics.refusals.get({ reason: "permission" })).toBe(1);
  });
});
