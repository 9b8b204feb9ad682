import nock from "nock";
import { describe, expect, it } from "vitest";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { API, comment, makeTask, TRIGGER_AT } from "../github/fixtures.ts";
import { sh } from "../workspace/origin.ts";
import { agentResult, contextScope, createHarness, type Harness, REPO, statusScope } from "./harness.ts";

const prTask = (kind: "fix-pr" | "review") =>
  makeTask({
    kind,
    number: 7,
    trigger: {
      event: "issue_comment.created",
      delivery: "dlv-7",
      actor: "alice",
      commentId: 70,
      at: TRIGGER_AT,
    },
  });

async function pullRequest(harness: Harness, fork: boolean) {
  const head = await harness.origin.commit(
    { "src/feature.ts": "export const feature = 1;\n" },
    "feature",
    "feature",
  );
  const base = sh(harness.origin.bare, "rev-parse", "main").trim();
  // GitHub keeps every PR's head in the base repository as refs/pull/N/head; a fork's branch is not there.
  sh(harness.origin.bare, "update-ref", "refs/pull/7/head", head);
  if (fork) sh(harness.origin.bare, "update-ref", "-d", "refs/heads/feature");
  return {
    scope: nock(API)
      .get(`${REPO}/pulls/7`)
      .reply(200, {
        state: "open",
        merged: false,
        head: { ref: "feature", sha: head, repo: { full_name: fork ? "mallory/widgets" : "acme/widgets" } },
        base: { ref: "main", sha: base },
        maintainer_can_modify: false,
      }),
    head,
  };
}

const context = () =>
  contextScope({
    number: 7,
    issue: { title: "Add feature", pull_request: { url: "x" } },
    comments: [comment(70, "alice", "/agent fix make it 2", TRIGGER_AT)],
  });

describe("executeTask on pull requests", () => {
  it("/agent fix on a same-repo PR pushes to the PR's branch and replies in the thread", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const ctx = context();
    const { scope: pr, head } = await pullRequest(harness, false);
    let reply = "";
    const replyScope = nock(API)
      .post(`${REPO}/issues/7/comments`, (b) => {
        reply = b.body;
        return true;
      })
      .reply(201, { html_url: "https://github.com/acme/widgets/pull/7#issuecomment-1" });
    const outcome = await harness.run(prTask("fix-pr"), async (options) => {
      expect(options.task.body).toContain("git diff");
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 2;\n");
      return agentResult({ summary: "Made it 2." });
    });
    expect(outcome.state).toBe("succeeded");
    const tip = sh(harness.origin.bare, "rev-parse", "feature").trim();
    expect(sh(harness.origin.bare, "rev-parse", `${tip}^`).trim()).toBe(head);
    expect(sh(harness.origin.bare, "show", "feature:src/feature.ts")).toBe("export const feature = 2;\n");
    expect(reply).toContain(`Pushed ${tip.slice(0, 12)} to \`feature\``);
    expect(reply).toContain("Made it 2.");
    expect(statusText(harness.statusBodies.at(-1)!)).toContain("done: pushed");
    for (const scope of [status, ctx, pr, replyScope]) expect(scope.isDone()).toBe(true);
  });

  it("fails clearly when the PR branch moved while the agent worked, overwriting nothing", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const ctx = context();
    const { scope: pr } = await pullRequest(harness, false);
    let theirs = "";
    const outcome = await harness.run(prTask("fix-pr"), async (options) => {
      theirs = await harness.origin.commit(
        { "src/other.ts": "x\n" },
        "the author pushed meanwhile",
        "feature",
      );
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 3;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("failed");
    expect(sh(harness.origin.bare, "rev-parse", "feature").trim()).toBe(theirs);
    const text = statusText(harness.statusBodies.at(-1)!);
    expect(text).toContain(
      "failed while publishing: the push to feature was rejected because the branch moved",
    );
    expect(parseStatusMarker(harness.statusBodies.at(-1)!)?.state).toBe("failed");
    for (const scope of [status, ctx, pr]) expect(scope.isDone()).toBe(true);
  });

  it("on a fork PR without maintainer edits pushes nothing and posts the change as a suggestion, saying why", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const ctx = context();
    const { scope: pr, head } = await pullRequest(harness, true);
    const branchesBefore = sh(harness.origin.bare, "for-each-ref", "--format=%(refname)", "refs/heads");
    let review: { body?: string; commit_id?: string; comments?: Record<string, unknown>[] } = {};
    const suggest = nock(API)
      .get(`${REPO}/pulls/7`)
      .reply(200, { state: "open", head: { ref: "feature", sha: head } })
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(200, [
        { filename: "src/feature.ts", status: "added", patch: "@@ -0,0 +1 @@\n+export const feature = 1;" },
      ])
      .post(`${REPO}/pulls/7/reviews`, (b) => {
        review = b;
        return true;
      })
      .reply(200, { id: 5, html_url: "https://github.com/acme/widgets/pull/7#pullrequestreview-5" });
    const outcome = await harness.run(prTask("fix-pr"), async (options) => {
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 4;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("succeeded");
    expect(review.commit_id).toBe(head);
    expect(review.comments).toEqual([
      {
        path: "src/feature.ts",
        line: 1,
        side: "RIGHT",
        body: "Suggested change:\n\n```suggestion\nexport const feature = 4;\n```",
      },
    ]);
    expect(review.body).toContain("does not allow edits from maintainers");
    // Nothing of the fork became a branch of the base repository.
    expect(sh(harness.origin.bare, "for-each-ref", "--format=%(refname)", "refs/heads")).toBe(branchesBefore);
    expect(sh(harness.origin.bare, "rev-parse", "refs/pull/7/head").trim()).toBe(head);
    const text = statusText(harness.statusBodies.at(-1)!);
    expect(text).toContain("posted the change as 1 suggestion");
    expect(text).toContain(
      "not pushed because #7 comes from the fork mallory/widgets, which does not allow edits",
    );
    for (const scope of [status, ctx, pr, suggest]) expect(scope.isDone()).toBe(true);
  });

  it("/agent review posts one review with inline comments on the PR's lines and pushes nothing", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const ctx = context();
    const { scope: pr, head } = await pullRequest(harness, false);
    let review: Record<string, unknown> = {};
    const reviewScope = nock(API)
      // The head is read again at publish time: a review is judged against the diff of its commit.
      .get(`${REPO}/pulls/7`)
      .reply(200, { state: "open", head: { ref: "feature", sha: head } })
      .get(`${REPO}/pulls/7/files`)
      .query(true)
      .reply(200, [{ filename: "src/feature.ts", patch: "@@ -0,0 +1 @@\n+export const feature = 1;" }])
      .post(`${REPO}/pulls/7/reviews`, (b) => {
        review = b;
        return true;
      })
      .reply(200, { html_url: "https://github.com/acme/widgets/pull/7#pullrequestreview-9" });
    const branchesBefore = sh(harness.origin.bare, "for-each-ref", "--format=%(refname) %(objectname)");
    const outcome = await harness.run(prTask("review"), async (options) => {
      expect(options.task.kind).toBe("review");
      expect(await options.sandbox.readFile("src/feature.ts")).toEqual(
        Buffer.from("export const feature = 1;\n"),
      );
      return agentResult({
        summary: "One naming issue.",
        reviewComments: [
          {
            path: "src/feature.ts",
            line: 1,
            body: "Name it `featureFlag`.",
            suggestion: "export const featureFlag = 1;",
          },
          { path: "src/parse.ts", line: 1, body: "Unrelated: parse is a number." },
        ],
      });
    });
    expect(outcome.message).toContain("done:");
    expect(outcome.state).toBe("succeeded");
    expect(review).toMatchObject({
      commit_id: head,
      event: "COMMENT",
      comments: [
        {
          path: "src/feature.ts",
          line: 1,
          side: "RIGHT",
          body: "Name it `featureFlag`.\n\n```suggestion\nexport const featureFlag = 1;\n```",
        },
      ],
    });
    expect(review.body).toContain("**`src/parse.ts` line 1**");
    expect(sh(harness.origin.bare, "for-each-ref", "--format=%(refname) %(objectname)")).toBe(branchesBefore);
    expect(statusText(harness.statusBodies.at(-1)!)).toContain("posted a review with 1 inline comments");
    for (const scope of [status, ctx, pr, reviewScope]) expect(scope.isDone()).toBe(true);
  });
});
