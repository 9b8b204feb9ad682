import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConditionalStatusComment } from "../../core/github/status-comment-access.ts";
import { renderStatusComment, type StatusMarker, type StatusState } from "../../core/status-marker.ts";
import { writeStatusIfAllowed } from "../../core/status-state.ts";
import { octokitFor } from "../e2e/helpers/octokit.ts";
import { LocalGitHub } from "../e2e/local-github/local-github.ts";

/**
 * The status comment's compare-before-write through conditional reads, against the local GitHub
 * (which answers If-None-Match as GitHub does: test/e2e/local-github-conditional.test.ts): reads
 * cost nothing while only this writer edits, and once another writer edits, the read takes the 200
 * path and the move is judged on the fresh text.
 */
describe("compare-before-write with conditional reads", () => {
  let github: LocalGitHub;
  let runner: Octokit;
  let app: Octokit;
  let issueNumber: number;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    // Two clients with tokens of their own, as the runner's task token and the App's.
    runner = octokitFor(github, github.installationToken());
    app = octokitFor(github, github.installationToken());
    ({
      data: { number: issueNumber },
    } = await app.rest.issues.create({ owner: "acme", repo: "widget", title: "fix it" }));
  });

  afterAll(async () => {
    await github?.close();
  });

  const marker = (state: StatusState): StatusMarker => ({
    v: 1,
    task: { kind: "fix-issue", number: issueNumber },
    delivery: "d-1",
    actor: "alice",
    state,
  });
  const body = (state: StatusState, text: string) => renderStatusComment(marker(state), text);

  async function postQueued() {
    const created = await app.rest.issues.createComment({
      owner: "acme",
      repo: "widget",
      issue_number: issueNumber,
      body: body("queued", "⏳ queued"),
    });
    return { owner: "acme", repo: "widget", comment_id: created.data.id };
  }

  const bodyNow = async (ref: { comment_id: number }) =>
    (await app.rest.issues.getComment({ owner: "acme", repo: "widget", comment_id: ref.comment_id })).data
      .body;

  it("reads its own last edit back as 304, not counted against the rate limit", async () => {
    const ref = await postQueued();
    const ours = new ConditionalStatusComment(runner.request, ref);
    expect(await writeStatusIfAllowed(ours, body("running", "🔧 provisioning"))).toEqual({ written: true });
    const before = structuredClone(github.usage());
    for (const phase of ["cloning", "working: turn 1", "verifying"]) {
      expect(await writeStatusIfAllowed(ours, body("running", `🔧 ${phase}`))).toEqual({ written: true });
    }
    const after = github.usage();
    // Three edits, each after a conditional read answered 304: only the PATCHes count.
    expect(after.notModified - before.notModified).toBe(3);
    expect(after.requests - before.requests).toBe(3);
    expect(
      after.byRoute["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"]! -
        (before.byRoute["PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"] ?? 0),
    ).toBe(3);
    expect(await bodyNow(ref)).toBe(body("running", "🔧 verifying"));
  });

  it("another writer's edit between two of ours: the read takes the 200 path and the move is judged on the fresh text", async () => {
    const ref = await postQueued();
    const ours = new ConditionalStatusComment(runner.request, ref);
    expect(await writeStatusIfAllowed(ours, body("running", "🔧 working: turn 3"))).toEqual({
      written: true,
    });

    // The App's stop edits the comment in between (its own writer, its own token).
    const stop = new ConditionalStatusComment(app.request, ref);
    const cancelled = body("cancelled", "⏹️ stopped by alice");
    expect(await writeStatusIfAllowed(stop, cancelled)).toEqual({ written: true });

    const before = structuredClone(github.usage());
    const result = await writeStatusIfAllowed(ours, body("running", "🔧 verifying"));
    const after = github.usage();
    expect(after.notModified - before.notModified).toBe(0);
    // The fresh read was a counted 200, and nothing was written.
    expect(after.requests - before.requests).toBe(1);
    expect(result).toMatchObject({
      written: false,
      keepApart: false,
      current: { marker: { state: "cancelled" }, body: cancelled },
    });
    expect(await bodyNow(ref)).toBe(cancelled);

    // Our result after the stop is refused too, judged on the same fresh text, and kept apart.
    expect(await writeStatusIfAllowed(ours, body("succeeded", "✅ opened #9"))).toMatchObject({
      written: false,
      keepApart: true,
      text: "✅ opened #9",
    });
    expect(await bodyNow(ref)).toBe(cancelled);
  });

  it("a stale ETag never hides an edit: the App's late run link over the runner's running is refused", async () => {
    const ref = await postQueued();
    const created = await app.rest.issues.getComment(ref);
    // The App keeps what it saw when it posted "queued"; the runner then writes "running".
    const appWriter = new ConditionalStatusComment(app.request, ref, {
      etag: created.headers.etag!,
      body: created.data.body ?? "",
    });
    const ours = new ConditionalStatusComment(runner.request, ref);
    expect(await writeStatusIfAllowed(ours, body("running", "🔧 provisioning"))).toEqual({ written: true });
    const late = await writeStatusIfAllowed(appWriter, body("queued", "⏳ queued, run 7"), ["queued"]);
    expect(late).toMatchObject({ written: false, current: { marker: { state: "running" } } });
    expect(await bodyNow(ref)).toBe(body("running", "🔧 provisioning"));
  });
});
