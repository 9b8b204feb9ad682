import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { PullIssue } from "../../e2e/local-github/shapes/pull.ts";
import { TRIGGER_AT } from "../github/fixtures.ts";
import { sh } from "../workspace/origin.ts";
import { agentResult, createHarness, type Harness, RUN_TIMEOUT_MS, startActionGitHub } from "./harness.ts";

let github: LocalGitHub;
beforeAll(async () => {
  github = await startActionGitHub();
});
afterAll(() => github.close());
// Every request the action made was one GitHub has and would accept.
afterEach(() => expect(github.violations()).toEqual([]));

/** What a PR task reads before the workspace: the thread (a pull request) and then the pull itself. */
const PR_READS = [
  "GET /repos/{owner}/{repo}",
  "GET /repos/{owner}/{repo}/contents/{path}",
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  "GET /repos/{owner}/{repo}/issues/{issue_number}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  "GET /repos/{owner}/{repo}/pulls/{pull_number}",
];

/**
 * Pull request #7 "Add feature" from branch `feature` (one commit on main), with alice's command
 * in its thread. From a fork (mallory's, without "Allow edits from maintainers"), the branch is the
 * fork's and GitHub keeps only refs/pull/7/head of it in the base repository.
 */
async function pullRequest(fork: boolean) {
  const harness = await createHarness(github);
  const headRepo = fork ? await github.fork(harness.repo, "mallory") : harness.repo;
  harness.repo.nextNumber = 7;
  const pull = github.state.createIssue(harness.repo, {
    title: "Add feature",
    user: github.state.user(fork ? "mallory" : "alice"),
    pull: {
      headRef: "feature",
      baseRef: "main",
      draft: false,
      merged: false,
      ...(fork ? { headRepo, maintainerCanModify: false } : {}),
    },
  }) as PullIssue;
  // Pushed after the pull request exists, so GitHub also sets refs/pull/7/head to it.
  const head = await github.commit(
    headRepo,
    "feature",
    { "src/feature.ts": "export const feature = 1;\n" },
    "feature",
  );
  const command = github.state.createComment(pull, "/agent fix make it 2", github.state.user("alice"));
  command.createdAt = TRIGGER_AT;
  command.updatedAt = TRIGGER_AT;
  const task = (kind: "fix-pr" | "review") =>
    harness.dispatch(pull, {
      kind,
      trigger: {
        event: "issue_comment.created",
        delivery: "dlv-7",
        actor: "alice",
        commentId: command.id,
        at: TRIGGER_AT,
      },
    });
  return { harness, pull, head, headRepo, task };
}

const lastStatus = (harness: Harness, task: { statusCommentId?: number }) =>
  statusText(harness.statusBodies(task.statusCommentId!).at(-1) ?? "");

describe("executeTask on pull requests", { timeout: RUN_TIMEOUT_MS }, () => {
  it("/agent fix on a same-repo PR pushes to the PR's branch and replies in the thread", async () => {
    const { harness, pull, head, task } = await pullRequest(false);
    const fixPr = task("fix-pr");
    const outcome = await harness.run(fixPr, async (options) => {
      expect(options.task.body).toContain("git diff");
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 2;\n");
      return agentResult({ summary: "Made it 2." });
    });
    expect(outcome.state).toBe("succeeded");
    const bare = harness.repo.gitDir;
    const tip = sh(bare, "rev-parse", "feature").trim();
    expect(sh(bare, "rev-parse", `${tip}^`).trim()).toBe(head);
    expect(sh(bare, "show", "feature:src/feature.ts")).toBe("export const feature = 2;\n");
    const replies = github.commentsOn(pull).filter((c) => c.viaApp && c.id !== fixPr.statusCommentId);
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.body;
    expect(reply).toContain(`Pushed ${tip.slice(0, 12)} to \`feature\``);
    expect(reply).toContain("Made it 2.");
    expect(lastStatus(harness, fixPr)).toContain("done: pushed");
    expect(harness.calls()).toEqual(
      expect.arrayContaining([...PR_READS, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]),
    );
  });

  it("fails clearly when the PR branch moved while the agent worked, overwriting nothing", async () => {
    const { harness, task } = await pullRequest(false);
    const fixPr = task("fix-pr");
    let theirs = "";
    const outcome = await harness.run(fixPr, async (options) => {
      theirs = await github.commit(
        harness.repo,
        "feature",
        { "src/other.ts": "x\n" },
        "the author pushed meanwhile",
      );
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 3;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("failed");
    expect(sh(harness.repo.gitDir, "rev-parse", "feature").trim()).toBe(theirs);
    // The commit goes through GitHub's commit API, whose expectedHeadOid refuses a moved branch.
    expect(lastStatus(harness, fixPr)).toContain(
      "failed while publishing: the commit to feature was refused because the branch moved",
    );
    expect(parseStatusMarker(harness.statusBodies(fixPr.statusCommentId!).at(-1)!)?.state).toBe("failed");
    expect(harness.calls()).toEqual(expect.arrayContaining(PR_READS));
  });

  it("on a fork PR without maintainer edits pushes nothing and posts the change as a suggestion, saying why", async () => {
    const { harness, pull, head, task } = await pullRequest(true);
    const fixPr = task("fix-pr");
    const bare = harness.repo.gitDir;
    const branchesBefore = sh(bare, "for-each-ref", "--format=%(refname)", "refs/heads");
    const outcome = await harness.run(fixPr, async (options) => {
      await options.sandbox.writeFile("src/feature.ts", "export const feature = 4;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("succeeded");
    const { reviews, comments } = github.reviewsOn(pull);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.commitId).toBe(head);
    expect(comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body }))).toEqual([
      {
        path: "src/feature.ts",
        line: 1,
        side: "RIGHT",
        body: "Suggested change:\n\n```suggestion\nexport const feature = 4;\n```",
      },
    ]);
    expect(reviews[0]!.body).toContain("does not allow edits from maintainers");
    // Nothing of the fork became a branch of the base repository, and nothing was pushed anywhere.
    expect(sh(bare, "for-each-ref", "--format=%(refname)", "refs/heads")).toBe(branchesBefore);
    expect(sh(bare, "rev-parse", "refs/pull/7/head").trim()).toBe(head);
    expect(github.pushes().filter((p) => p.repo.endsWith(`/${harness.repo.name}`))).toEqual([]);
    const text = lastStatus(harness, fixPr);
    expect(text).toContain("posted the change as 1 suggestion");
    expect(text).toContain(
      `not pushed because #7 comes from the fork mallory/${harness.repo.name}, which does not allow edits`,
    );
    expect(harness.calls()).toEqual(
      expect.arrayContaining([
        ...PR_READS,
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      ]),
    );
  });

  it("/agent review posts one review with inline comments on the PR's lines and pushes nothing", async () => {
    const { harness, pull, head, task } = await pullRequest(false);
    const review = task("review");
    const bare = harness.repo.gitDir;
    const branchesBefore = sh(bare, "for-each-ref", "--format=%(refname) %(objectname)");
    const outcome = await harness.run(review, async (options) => {
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
    const { reviews, comments } = github.reviewsOn(pull);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ commitId: head, state: "COMMENTED" });
    expect(comments.map((c) => ({ path: c.path, line: c.line, side: c.side, body: c.body }))).toEqual([
      {
        path: "src/feature.ts",
        line: 1,
        side: "RIGHT",
        body: "Name it `featureFlag`.\n\n```suggestion\nexport const featureFlag = 1;\n```",
      },
    ]);
    expect(reviews[0]!.body).toContain("**`src/parse.ts` line 1**");
    expect(sh(bare, "for-each-ref", "--format=%(refname) %(objectname)")).toBe(branchesBefore);
    expect(harness.pushes()).toEqual([]);
    expect(lastStatus(harness, review)).toContain("posted a review with 1 inline comments");
    // The head is read again at publish time: a review is judged against the diff of its commit.
    const pullReads = harness.calls().filter((c) => c === "GET /repos/{owner}/{repo}/pulls/{pull_number}");
    expect(pullReads.length).toBeGreaterThanOrEqual(2);
    expect(harness.calls()).toEqual(
      expect.arrayContaining([
        ...PR_READS,
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      ]),
    );
  });
});
