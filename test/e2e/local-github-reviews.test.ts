import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "./helpers/octokit.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";

/** The review rules of `local-github/review-rules.ts`: all or nothing, in GitHub's words. */
describe("local GitHub: review comments must sit on the diff of commit_id", () => {
  let github: LocalGitHub;
  let bot: Octokit;
  let pull: PullIssue;
  let first: string;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const repo = await github.createRepo("widget", { "a.txt": `${lines.join("\n")}\n`, "b.txt": "b\n" });
    const changed = [...lines];
    changed[1] = "line 2 changed";
    changed[24] = "line 25 changed";
    first = await github.commit(repo, "topic", { "a.txt": `${changed.join("\n")}\n` }, "two hunks");
    bot = octokitFor(github, github.installationToken());
    const { data } = await bot.rest.pulls.create({
      owner: "acme",
      repo: "widget",
      head: "topic",
      base: "main",
      title: "t",
    });
    pull = github.state.issue(repo, data.number) as PullIssue;
    await github.commit(repo, "topic", { "b.txt": "b changed\n" }, "someone pushed");
  });

  afterAll(async () => {
    await github?.close();
  });

  const review = (comments: Array<{ path: string; line: number; start_line?: number }>, commit_id?: string) =>
    bot.rest.pulls.createReview({
      owner: "acme",
      repo: "widget",
      pull_number: pull.number,
      event: "COMMENT",
      body: "review",
      ...(commit_id ? { commit_id } : {}),
      comments: comments.map((c) => ({ ...c, body: "note" })),
    });

  it("refuses the whole review for one comment off the diff, with GitHub's 422 body", async () => {
    const attempt = review([
      { path: "a.txt", line: 2 },
      { path: "a.txt", line: 10 },
    ]);
    await expect(attempt).rejects.toMatchObject({
      status: 422,
      response: {
        data: {
          message: "Unprocessable Entity",
          errors: [
            "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
          ],
        },
      },
    });
    expect(github.reviewsOn(pull).reviews).toEqual([]);
    expect(github.reviewsOn(pull).comments).toEqual([]);
  });

  it("names a path outside the diff, and a range that spans two hunks", async () => {
    await expect(review([{ path: "c.txt", line: 1 }])).rejects.toMatchObject({
      response: {
        data: {
          errors: [
            "Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank",
          ],
        },
      },
    });
    await expect(review([{ path: "a.txt", start_line: 2, line: 25 }])).rejects.toMatchObject({
      response: {
        data: {
          errors: ["Pull request review thread start line must be part of the same hunk as the line."],
        },
      },
    });
  });

  it("judges lines against the diff of commit_id, not of the head", async () => {
    await expect(review([{ path: "b.txt", line: 1 }], first)).rejects.toMatchObject({ status: 422 });
    const accepted = await review([{ path: "b.txt", line: 1 }]);
    expect(accepted.status).toBe(200);
    const atFirst = await review([{ path: "a.txt", line: 25 }], first);
    expect(atFirst.data.commit_id).toBe(first);
  });
  it("gives a line comment its diff hunk: the hunk's header and its lines down to the commented one", async () => {
    await review([{ path: "a.txt", line: 3 }]);
    const comment = github.reviewsOn(pull).comments.at(-1)!;
    const { comment: delivered } = await github.payloads.pullRequestReviewCommentCreated(comment);
    expect((delivered as { diff_hunk: string }).diff_hunk).toBe(
      "@@ -1,5 +1,5 @@\n line 1\n-line 2\n+line 2 changed\n line 3",
    );
  });
});
