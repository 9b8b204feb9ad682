import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../action/github/client.ts";
import { commitAuthor } from "../../../action/publish/commit-author.ts";
import type { Task } from "../../../core/task.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";

describe("the commit author: the App's bot, by GitHub's noreply address", () => {
  let github: LocalGitHub;
  let task: Task;
  let botId: number;
  const warnings: string[] = [];
  const warn = (message: string) => warnings.push(message);
  const client = () => createGitHubClient({ token: github.installationToken(), baseUrl: github.url });

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const repo = await github.createRepo("widget", { "README.md": "# widget\n" });
    const issue = github.openIssue(repo, { title: "t", user: "alice" });
    const bot = github.state.user(github.credentials.botLogin);
    botId = bot.id;
    const status = github.state.createComment(issue, "⏳ queued", bot, true);
    task = {
      v: 1,
      kind: "fix-issue",
      repo: { owner: "acme", name: "widget" },
      number: issue.number,
      trigger: { event: "issues.labeled", delivery: "d", actor: "alice", at: "2026-01-01T00:00:00Z" },
      statusCommentId: status.id,
    };
  });

  afterAll(async () => {
    await github?.close();
  });

  it("is the author of the App's status comment, as <id>+<slug>[bot]@users.noreply.github.com", async () => {
    expect(await commitAuthor(client(), task, {}, warn)).toEqual({
      name: "inhouse-test[bot]",
      email: `${botId}+inhouse-test[bot]@users.noreply.github.com`,
    });
    expect(botId).not.toBe(github.app.id);
  });

  it("reads nothing when the run already knows the status comment's author", async () => {
    const before = github.requests().length;
    const bot = { id: botId, login: "inhouse-test[bot]" };
    expect(await commitAuthor(client(), task, {}, warn, bot)).toEqual({
      name: "inhouse-test[bot]",
      email: `${botId}+inhouse-test[bot]@users.noreply.github.com`,
    });
    expect(github.requests().length).toBe(before);
  });

  it("looks the bot up by the author-name input when there is no status comment", async () => {
    const scheduled = { ...task, statusCommentId: undefined };
    expect(await commitAuthor(client(), scheduled, { name: "inhouse-test[bot]" }, warn)).toEqual({
      name: "inhouse-test[bot]",
      email: `${botId}+inhouse-test[bot]@users.noreply.github.com`,
    });
    expect(warnings).toEqual([]);
  });

  it("keeps inputs given in full, and warns with the fix when the bot cannot be found", async () => {
    const given = { name: "Release Bot", email: "release@example.com" };
    expect(await commitAuthor(client(), task, given, warn)).toEqual(given);
    const author = await commitAuthor(
      client(),
      { ...task, statusCommentId: undefined },
      { name: "nobody[bot]" },
      warn,
    );
    expect(author.name).toBe("nobody[bot]");
    expect(warnings.at(-1)).toMatch(/set the author-name input to <app-slug>\[bot\]/);
  });
});
