import nock from "nock";
import { describe, expect, it } from "vitest";
import { StatusComment } from "../../../action/github/status-comment.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { appStatusComment } from "../../helpers/app-status-comment.ts";
import { API, makeTask, testClient } from "./fixtures.ts";

const RUN = "https://github.com/acme/widgets/actions/runs/77";

describe("status comment", () => {
  it("edits the one comment at each phase, with the marker state and the run link", async () => {
    const bodies: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .times(3)
      .reply(200, { id: 900 });
    const status = new StatusComment({
      gh: testClient(),
      task: makeTask(),
      runUrl: RUN,
      run: { id: 77, repo: "acme/widgets" },
    });
    await status.phase("provisioning on runner-1");
    await status.phase("verifying: running `npm test`");
    await status.finish("succeeded", "done: opened https://github.com/acme/widgets/pull/13");
    await status.finish("failed", "must be ignored: the task already finished");
    expect(scope.isDone()).toBe(true);
    expect(bodies).toHaveLength(3);
    expect(bodies.map((b) => parseStatusMarker(b)?.state)).toEqual(["running", "running", "succeeded"]);
    expect(parseStatusMarker(bodies[0]!)).toMatchObject({
      delivery: "dlv-1",
      actor: "alice",
      task: { kind: "fix-issue", number: 12 },
      run: { id: 77 },
    });
    expect(statusText(bodies[2]!)).toContain("done: opened https://github.com/acme/widgets/pull/13");
    expect(bodies.every((b) => b.includes(`[Workflow run](${RUN})`))).toBe(true);
  });

  it("spaces turn updates further apart each time, and always writes phase changes", async () => {
    let now = 0;
    const bodies: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .times(4)
      .reply(200, { id: 900 });
    const status = new StatusComment({
      gh: testClient(),
      task: makeTask(),
      runUrl: RUN,
      turnThrottleMs: 5_000,
      now: () => now,
    });
    // 40 turns two seconds apart, 5 s units: the first at once (nothing written before), then 20 s
    // after it (four units), then 40 s after that: the log of the length.
    for (let turn = 1; turn <= 40; turn++) {
      now = turn * 2_000;
      await status.turn(turn, 40);
    }
    await status.phase("verifying");
    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => statusText(b).split("\n")[0])).toEqual([
      "🔧 **inhouse** · fix-issue · working: turn 1 of 40",
      "🔧 **inhouse** · fix-issue · working: turn 11 of 40",
      "🔧 **inhouse** · fix-issue · working: turn 31 of 40",
      "🔧 **inhouse** · fix-issue · verifying",
    ]);
  });

  it("sends only the latest text when phases change faster than GitHub answers", async () => {
    const bodies: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .delay(50)
      .times(3)
      .reply(200, { id: 900 });
    const status = new StatusComment({ gh: testClient(), task: makeTask(), runUrl: RUN });
    const first = status.phase("provisioning");
    const superseded = status.phase("preparing the workspace");
    const latest = status.phase("starting the sandbox");
    await Promise.all([first, superseded, latest]);
    await status.finish("succeeded", "done");
    expect(bodies.map((b) => statusText(b).split("\n")[0])).toEqual([
      "🔧 **inhouse** · fix-issue · provisioning",
      "🔧 **inhouse** · fix-issue · starting the sandbox",
      "✅ **inhouse** · fix-issue · done",
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("edits at most once per gap until the end; the final text is written at once", async () => {
    const bodies: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .times(2)
      .reply(200, { id: 900 });
    // A minute's gap: were the final text made to wait for it, this test would time out.
    const status = new StatusComment({ gh: testClient(), task: makeTask(), runUrl: RUN, minGapMs: 60_000 });
    await status.phase("provisioning");
    void status.phase("preparing the workspace");
    void status.phase("starting the sandbox");
    await status.finish("failed", "failed while starting the sandbox");
    expect(bodies.map((b) => statusText(b).split("\n")[0])).toEqual([
      "🔧 **inhouse** · fix-issue · provisioning",
      "❌ **inhouse** · fix-issue · failed while starting the sandbox",
    ]);
    expect(scope.isDone()).toBe(true);
  });

  it("creates the comment when the task has none, then edits that one", async () => {
    const scope = nock(API)
      .post("/repos/acme/widgets/issues/12/comments", (body) => body.body.includes("provisioning"))
      .reply(201, { id: 4242 })
      .patch("/repos/acme/widgets/issues/comments/4242", (body) => body.body.includes("publishing"))
      .reply(200, { id: 4242 });
    const status = new StatusComment({
      gh: testClient(),
      task: makeTask({ statusCommentId: undefined }),
      runUrl: RUN,
    });
    await status.phase("provisioning");
    await status.phase("publishing");
    expect(status.commentId).toBe(4242);
    expect(scope.isDone()).toBe(true);
  });

  it("redacts what it writes and survives a failed write", async () => {
    const warnings: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900")
      .reply(404, { message: "Not Found" })
      .patch("/repos/acme/widgets/issues/comments/900", (body) => !body.body.includes("s3cret-value"))
      .reply(200, {});
    const status = new StatusComment({
      gh: testClient(),
      task: makeTask(),
      runUrl: RUN,
      redact: (t) => t.replaceAll("s3cret-value", "***"),
      warn: (m) => warnings.push(m),
    });
    await status.phase("one");
    await status.finish("failed", "failed: token s3cret-value was rejected");
    expect(warnings[0]).toMatch(/could not update the status comment/);
    expect(status.writes[0]).toContain("token *** was rejected");
    expect(scope.isDone()).toBe(true);
  });

  it("never reopens a task the App stopped, and posts its own result apart instead of losing it", async () => {
    // The stop (core/status-state.ts): the App writes "cancelled" while the action is still at work.
    const task = makeTask();
    const requests: string[] = [];
    const bodies: string[] = [];
    const seen = <T>(request: string, answer: T): T => {
      requests.push(request);
      return answer;
    };
    const scope = nock(API)
      .get("/repos/acme/widgets/issues/comments/900")
      .reply(200, () => seen("GET", appStatusComment(task, { state: "queued" })))
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .reply(200, () => seen("PATCH", { id: 900 }))
      .get("/repos/acme/widgets/issues/comments/900")
      .times(2)
      .reply(200, () => seen("GET", appStatusComment(task, { state: "cancelled" })))
      .post("/repos/acme/widgets/issues/12/comments", (body) => bodies.push(body.body) > 0)
      .reply(201, () => seen("POST", { id: 901 }));
    const warnings: string[] = [];
    const status = new StatusComment({ gh: testClient(), task, runUrl: RUN, warn: (m) => warnings.push(m) });
    await status.phase("provisioning");
    await status.phase("verifying: running `npm test`");
    expect(status.isFinished).toBe(true);
    // Nothing more is read or written for a phase once the comment is found ended.
    await status.phase("publishing");
    await status.finish("succeeded", "done: opened https://github.com/acme/widgets/pull/13");
    expect(scope.isDone()).toBe(true);
    expect(requests).toEqual(["GET", "PATCH", "GET", "GET", "POST"]);
    expect(parseStatusMarker(bodies[0]!)?.state).toBe("running");
    // The result, apart: a plain comment (no marker, so it is not state), the App's "cancelled" kept.
    expect(parseStatusMarker(bodies[1]!)).toBeUndefined();
    expect(bodies[1]).toContain("done: opened https://github.com/acme/widgets/pull/13");
    expect(warnings[0]).toMatch(/status comment left as it is: the status is cancelled/);
  });

  it("posts nothing apart when the comment already ends the way the action would end it", async () => {
    const task = makeTask();
    const scope = nock(API)
      .get("/repos/acme/widgets/issues/comments/900")
      .reply(200, appStatusComment(task, { state: "cancelled" }));
    const status = new StatusComment({ gh: testClient(), task, runUrl: RUN });
    await status.finish("cancelled", "cancelled: the workflow run was cancelled, so nothing was published");
    expect(scope.isDone()).toBe(true);
    expect(status.writes).toEqual([]);
  });
});
