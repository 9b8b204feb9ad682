import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { parseManifest } from "../local-github/app-manifest.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import { Router } from "../local-github/router.ts";
import { basicHeader, cloneUrl, GitClient, git } from "./git-client.ts";

const MANIFEST_WITHOUT_CONTENTS_WRITE = `name: inhouse
default_permissions:
  issues: read
  pull_requests: write
  contents: read
`;

describe("local GitHub: installation permissions come from the App manifest", () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme", manifest: { text: MANIFEST_WITHOUT_CONTENTS_WRITE } });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    github.openIssue(github.state.repo("acme", "widget")!, { title: "t", user: "alice" });
  });

  afterAll(async () => {
    await github?.close();
  });

  it("gives the installation exactly the manifest's default_permissions, metadata read added as GitHub does", () => {
    expect(github.installation.permissions).toEqual({
      issues: "read",
      pull_requests: "write",
      contents: "read",
      metadata: "read",
    });
  });

  it("reads the project's app.yml when no manifest is given", async () => {
    const standard = await LocalGitHub.start();
    try {
      expect(standard.installation.permissions.contents).toBe("write");
      expect(standard.installation.events).toContain("workflow_run");
    } finally {
      await standard.close();
    }
  });

  it("refuses a manifest permission GitHub does not know, naming the fix", () => {
    expect(() => parseManifest("default_permissions:\n  contents: full\n", "app.yml")).toThrow(
      /default_permissions.contents is "full"; use read, write or admin/,
    );
  });

  it("answers 403 Resource not accessible by integration, with the permissions that would work", async () => {
    const bot = octokitFor(github, github.installationToken());
    const error = (await bot.rest.reactions
      .createForIssue({ owner: "acme", repo: "widget", issue_number: 1, content: "eyes" })
      .then(
        () => undefined,
        (e: unknown) => e,
      )) as { status: number; message: string; response: { headers: Record<string, string> } };
    expect(error).toMatchObject({
      status: 403,
      message: expect.stringContaining("Resource not accessible by integration"),
    });
    expect(error.response.headers["x-accepted-github-permissions"]).toBe("issues=write");
    // A comment on an issue needs issues or pull_requests write: the second is granted.
    const comment = await bot.rest.issues.createComment({
      owner: "acme",
      repo: "widget",
      issue_number: 1,
      body: "hi",
    });
    expect(comment.status).toBe(201);
  });

  it("mints narrower tokens, and refuses wider ones with 422", async () => {
    const narrow = octokitFor(github, github.installationToken({ permissions: { metadata: "read" } }));
    await expect(narrow.rest.repos.get({ owner: "acme", repo: "widget" })).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      narrow.rest.issues.createComment({ owner: "acme", repo: "widget", issue_number: 1, body: "x" }),
    ).rejects.toMatchObject({ status: 403 });
    expect(() => github.installationToken({ permissions: { contents: "write" } })).toThrow(
      "The permissions requested are not granted to this installation.",
    );
  });

  it("refuses a push without Contents: write with GitHub's 403 and message; the clone still works", async () => {
    const token = github.installationToken();
    const client = await GitClient.clone(github, "widget", token);
    await client.commit({ "a.txt": "a\n" }, "a");
    const push = await client.push("HEAD:refs/heads/agent/a", token);
    expect(push.code).not.toBe(0);
    expect(push.output).toContain("remote: Permission to acme/widget.git denied to inhouse-test[bot].");
    expect(push.output).toContain("The requested URL returned error: 403");
    expect((await github.branches(github.state.repo("acme", "widget")!)).has("agent/a")).toBe(false);
  });

  it("refuses a clone without any Contents permission as not found", async () => {
    const token = github.installationToken({ permissions: { metadata: "read" } });
    const result = await git(["-c", basicHeader(token), "ls-remote", cloneUrl(github, "widget")]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Repository not found|404/);
  });

  it("requires every route to carry a documented permission rule", () => {
    const router = new Router(
      (github as unknown as { context: ConstructorParameters<typeof Router>[0] }).context,
    );
    expect(() => router.on("GET /repos/{owner}/{repo}/branches", () => ({ status: 200, body: [] }))).toThrow(
      /no permission rule/,
    );
  });
});

describe("local GitHub: tokens limited to repositories and to one hour", () => {
  let github: LocalGitHub;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    await github.createRepo("other", { "README.md": "# other\n" });
  });

  afterAll(async () => {
    await github?.close();
  });

  it("hides repositories outside the token's selection, on the API and on git", async () => {
    const token = github.installationToken({ repositories: ["widget"] });
    const bot = octokitFor(github, token);
    await expect(bot.rest.repos.get({ owner: "acme", repo: "widget" })).resolves.toMatchObject({
      status: 200,
    });
    await expect(bot.rest.repos.get({ owner: "acme", repo: "other" })).rejects.toMatchObject({ status: 404 });
    const result = await git(["-c", basicHeader(token), "ls-remote", cloneUrl(github, "other")]);
    expect(result.code).not.toBe(0);
    expect(() => github.installationToken({ repositories: ["missing"] })).toThrow(
      /does not exist or is not accessible/,
    );
  });

  it("expires installation tokens one hour after minting: 401 on the API and on git", async () => {
    const token = github.installationToken();
    const bot = octokitFor(github, token);
    github.clock.advance(3600_000 - 1000);
    await expect(bot.rest.repos.get({ owner: "acme", repo: "widget" })).resolves.toMatchObject({
      status: 200,
    });
    expect((await git(["-c", basicHeader(token), "ls-remote", cloneUrl(github, "widget")])).code).toBe(0);
    github.clock.advance(1000);
    await expect(bot.rest.repos.get({ owner: "acme", repo: "widget" })).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining("Bad credentials"),
    });
    const gitAfter = await git(["-c", basicHeader(token), "ls-remote", cloneUrl(github, "widget")]);
    expect(gitAfter.code).not.toBe(0);
    expect(gitAfter.output).toMatch(/401|Authentication failed|could not read Username/);
    // A token minted now is good for another hour.
    await expect(
      octokitFor(github, github.installationToken()).rest.repos.get({ owner: "acme", repo: "widget" }),
    ).resolves.toMatchObject({ status: 200 });
  });
});
