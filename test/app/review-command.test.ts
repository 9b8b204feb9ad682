import { describe, expect, it } from "vitest";
import { octokitFor } from "../e2e/helpers/octokit.ts";
import type { PullIssue } from "../e2e/local-github/shapes/pull.ts";
import { ALICE, appOnLocalGitHub, OWNER, ROUTE, type Scene } from "./app-scene.ts";

/** Issue 15, item 3: `/agent fix` in a review's body or on a line of the diff. */

const SUM =
  "// Adds two numbers.\nconst x = 1;\nexport const sum = (a, b) => a + b + x - x;\nexport default sum;\n";

describe("/agent fix in reviews and on diff lines", () => {
  const local = appOnLocalGitHub();

  /** alice's pull request adding src/sum.js, opened through the API (its own webhook handled). */
  async function openPull(scene: Scene): Promise<PullIssue> {
    await scene.github.commit(scene.repo, "sum", { "src/sum.js": SUM }, "Add sum");
    const { data } = await asUser(scene, ALICE).rest.pulls.create({
      owner: OWNER,
      repo: scene.repo.name,
      head: "sum",
      base: "main",
      title: "Add sum",
    });
    await scene.settle();
    return scene.github.pulls(scene.repo).find((pull) => pull.number === data.number)!;
  }

  const asUser = (scene: Scene, login: string) => octokitFor(scene.github, scene.github.userToken(login));

  /** A review submitted through the API, as the web UI does; its webhooks delivered and handled. */
  async function submitReview(
    scene: Scene,
    pull: PullIssue,
    by: ReturnType<typeof octokitFor>,
    review: { body: string; comments?: { path: string; line: number; start_line?: number; body: string }[] },
  ) {
    await by.rest.pulls.createReview({
      owner: OWNER,
      repo: scene.repo.name,
      pull_number: pull.number,
      event: "COMMENT",
      ...review,
    });
    await scene.settle();
  }

  it("a line comment starts a fix-pr task whose instructions name the file, the lines and the comment", async () => {
    const scene = await local.scene();
    const pull = await openPull(scene);
    await submitReview(scene, pull, asUser(scene, ALICE), {
      body: "",
      comments: [{ path: "src/sum.js", start_line: 2, line: 4, body: "/agent fix use a constant here" }],
    });
    const [task, ...more] = scene.dispatchedTasks();
    expect(more).toEqual([]);
    const lineComment = scene.github.reviewsOn(pull).comments[0]!;
    expect(task).toMatchObject({ kind: "fix-pr", number: pull.number, trigger: { actor: ALICE } });
    expect(task!.trigger.commentId).toBeUndefined();
    // v2 only for this task: the agent answers in the thread (its first comment) and may resolve it.
    expect(task!.v).toBe(2);
    expect(task!.reviewComment).toEqual({ id: lineComment.id, path: "src/sum.js" });
    expect(task!.instructions).toContain("use a constant here");
    expect(task!.instructions).toContain("`src/sum.js` lines 2–4");
    expect(task!.instructions).toContain("> /agent fix use a constant here");
    // The diff hunk GitHub sends with the comment, down to the commented line.
    expect(task!.instructions).toContain("+const x = 1;");
    expect(scene.statuses(pull).map((s) => s.marker.state)).toEqual(["queued"]);
  });

  it("a review body starts a fix-pr task that quotes the review", async () => {
    const scene = await local.scene();
    const pull = await openPull(scene);
    await submitReview(scene, pull, asUser(scene, ALICE), {
      body: "Close.\n/agent fix handle the empty list",
    });
    const [task, ...more] = scene.dispatchedTasks();
    expect(more).toEqual([]);
    expect(task!.instructions).toContain("handle the empty list");
    expect(task!.instructions).toContain("Asked by @alice in a pull request review");
    expect(task).toMatchObject({ v: 1, kind: "fix-pr", number: pull.number });
    expect(task!.reviewComment).toBeUndefined();
    expect(scene.statuses(pull).map((s) => s.marker.state)).toEqual(["queued"]);
  });

  it("a bot's review (the App's own, written by the model) never commands the agent, and a reader is refused", async () => {
    const scene = await local.scene();
    const pull = await openPull(scene);
    const { metrics } = scene.app;
    const ignored = () =>
      metrics.deliveries.get({ event: "pull_request_review.submitted", outcome: "ignored" });
    const ignoredBefore = ignored();
    const since = scene.mark();
    // The App's bot reviews with the installation's token, as the review task does.
    const bot = octokitFor(scene.github, scene.github.installationToken());
    await submitReview(scene, pull, bot, { body: "/agent fix everything" });
    expect(ignored()).toBe(ignoredBefore + 1);
    expect(scene.appWrites(since)).toEqual(["POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"]);

    scene.github.addCollaborator(scene.repo, "rita", "read");
    const refusedBefore = metrics.refusals.get({ reason: "permission" });
    await submitReview(scene, pull, asUser(scene, "rita"), {
      body: "",
      comments: [{ path: "src/sum.js", line: 2, body: "/agent fix" }],
    });
    expect(metrics.refusals.get({ reason: "permission" })).toBe(refusedBefore + 1);
    expect(scene.appComments(pull).map((comment) => comment.body)).toEqual([
      expect.stringContaining("@rita"),
    ]);
    expect(scene.dispatchedTasks()).toEqual([]);
    expect(scene.appWrites(since)).not.toContain(ROUTE.dispatch);
  });
});
