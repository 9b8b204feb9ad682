import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { GITHUB_BODY_LIMIT } from "../local-github/body-limits.ts";
import { LocalGitHub } from "../local-github/local-github.ts";

const TOO_LONG = {
  status: 422,
  response: {
    data: {
      message: "Validation Failed",
      errors: [{ code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }],
    },
  },
};

describe("local GitHub: bodies of at most 65,536 characters", () => {
  let github: LocalGitHub;
  let bot: ReturnType<typeof octokitFor>;
  const repo = { owner: "acme", repo: "widget" };

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const record = await github.createRepo("widget", { "a.txt": "a\n" });
    github.openIssue(record, { title: "t", user: "alice" });
    await github.commit(record, "agent/x", { "a.txt": "b\n" }, "change");
    bot = octokitFor(github, github.installationToken());
  });

  afterAll(async () => {
    await github?.close();
  });

  it("takes a comment of exactly the limit, counted in characters, and refuses one more", async () => {
    await expect(
      bot.rest.issues.createComment({ ...repo, issue_number: 1, body: "x".repeat(GITHUB_BODY_LIMIT) }),
    ).resolves.toMatchObject({ status: 201 });
    // An emoji is one character and two UTF-16 units: the limit counts characters.
    await expect(
      bot.rest.issues.createComment({ ...repo, issue_number: 1, body: "🙂".repeat(GITHUB_BODY_LIMIT) }),
    ).resolves.toMatchObject({ status: 201 });
    await expect(
      bot.rest.issues.createComment({ ...repo, issue_number: 1, body: "x".repeat(GITHUB_BODY_LIMIT + 1) }),
    ).rejects.toMatchObject({
      ...TOO_LONG,
      response: { data: { errors: [{ resource: "IssueComment" }] } },
    });
  });

  it("refuses an over-long comment edit, issue body, pull request body and review body", async () => {
    const long = "y".repeat(GITHUB_BODY_LIMIT + 1);
    const { data: comment } = await bot.rest.issues.createComment({
      ...repo,
      issue_number: 1,
      body: "short",
    });
    await expect(
      bot.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: long }),
    ).rejects.toMatchObject(TOO_LONG);
    await expect(bot.rest.issues.create({ ...repo, title: "t", body: long })).rejects.toMatchObject(TOO_LONG);
    await expect(
      bot.rest.pulls.create({ ...repo, title: "p", head: "agent/x", base: "main", body: long }),
    ).rejects.toMatchObject({ ...TOO_LONG, response: { data: { errors: [{ resource: "PullRequest" }] } } });
    const { data: pull } = await bot.rest.pulls.create({
      ...repo,
      title: "p",
      head: "agent/x",
      base: "main",
    });
    await expect(
      bot.rest.pulls.update({ ...repo, pull_number: pull.number, body: long }),
    ).rejects.toMatchObject(TOO_LONG);
    await expect(
      bot.rest.pulls.createReview({ ...repo, pull_number: pull.number, event: "COMMENT", body: long }),
    ).rejects.toMatchObject({
      ...TOO_LONG,
      response: { data: { errors: [{ resource: "PullRequestReview" }] } },
    });
    expect(
      github.reviewsOn(github.state.issue(github.state.repo("acme", "widget")!, pull.number)!).reviews,
    ).toEqual([]);
  });
});
