import nock from "nock";
import { describe, expect, it } from "vitest";
import { StatusComment } from "../../../action/github/status-comment.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
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

  it("throttles turn updates but always writes phase changes", async () => {
    let now = 0;
    const bodies: string[] = [];
    const scope = nock(API)
      .patch("/repos/acme/widgets/issues/comments/900", (body) => bodies.push(body.body) > 0)
      .times(3)
      .reply(200, { id: 900 });
    const status = new StatusComment({
      gh: testClient(),
      task: makeTask(),
      runUrl: RUN,
      turnThrottleMs: 10_000,
      now: () => now,
    });
    for (let turn = 1; turn <= 10; turn++) {
      now = turn * 2_000;
      void status.turn(turn, 40);
    }
    await status.phase("verifying");
    expect(scope.isDone()).toBe(true);
    expect(bodies.map((b) => statusText(b).split("\n")[0])).toEqual([
      "🔧 **inhouse** · fix-issue · working: turn 1 of 40",
      "🔧 **inhouse** · fix-issue · working: turn 6 of 40",
      "🔧 **inhouse** · fix-issue · verifying",
    ]);
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
});
