import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "./helpers/octokit.ts";
import { catchWebhooks } from "./helpers/webhook-catcher.ts";
import { LocalGitHub } from "./local-github/local-github.ts";

/** The local GitHub's issue creation and listing rules (docs/github-rules.md, "Issues"). */
describe("local GitHub: creating and listing issues", () => {
  let github: LocalGitHub;
  let bot: Octokit;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    bot = octokitFor(github, github.installationToken());
  });

  afterAll(async () => {
    await github?.close();
  });

  it("an issue created with labels is delivered as one issues.labeled per label, sent by its creator", async () => {
    const catcher = await catchWebhooks(github.app.webhookSecret);
    github.connectApp(catcher.url);
    try {
      const { data } = await bot.rest.issues.create({
        owner: "acme",
        repo: "widget",
        title: "from sentry",
        labels: ["agent", "sentry"],
      });
      await github.idle();
      const labelled = catcher.received.filter((w) => w.event === "issues" && w.payload.action === "labeled");
      expect(labelled.map((w) => (w.payload.label as { name: string }).name)).toEqual(["agent", "sentry"]);
      expect(labelled.every((w) => w.signatureValid)).toBe(true);
      expect(labelled.map((w) => (w.payload.sender as { login: string }).login)).toEqual([
        github.credentials.botLogin,
        github.credentials.botLogin,
      ]);
      expect((labelled[0]!.payload.issue as { number: number }).number).toBe(data.number);
    } finally {
      github.connectApp(undefined);
      await catcher.close();
    }
  });

  it("lists open issues by default, filters by state, every label (case-insensitive) and creator, newest first", async () => {
    const alice = octokitFor(github, github.userToken("alice"));
    const repo = github.state.repo("acme", "widget")!;
    github.addCollaborator(repo, "alice", "write");
    await alice.rest.issues.create({ owner: "acme", repo: "widget", title: "alice's", labels: ["sentry"] });
    const closed = await bot.rest.issues.create({
      owner: "acme",
      repo: "widget",
      title: "closed",
      labels: ["Sentry"],
    });
    await bot.rest.issues.update({
      owner: "acme",
      repo: "widget",
      issue_number: closed.data.number,
      state: "closed",
    });

    const list = async (query: Record<string, string>) =>
      (await bot.rest.issues.listForRepo({ owner: "acme", repo: "widget", ...query })).data.map(
        (i) => i.title,
      );
    expect(await list({})).toEqual(["alice's", "from sentry"]);
    expect(await list({ state: "all", labels: "sentry" })).toEqual(["closed", "alice's", "from sentry"]);
    expect(await list({ state: "closed" })).toEqual(["closed"]);
    expect(await list({ labels: "agent,sentry" })).toEqual(["from sentry"]);
    expect(await list({ state: "all", creator: "alice" })).toEqual(["alice's"]);
    expect(github.violations()).toEqual([]);
  });

  it("an installation without Issues: read is refused the list", async () => {
    const noIssues = octokitFor(github, github.installationToken({ permissions: { contents: "read" } }));
    await expect(noIssues.rest.issues.listForRepo({ owner: "acme", repo: "widget" })).rejects.toMatchObject({
      status: 403,
    });
  });
});
