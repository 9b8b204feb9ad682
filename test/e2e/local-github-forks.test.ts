import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicHeader, gitCapture } from "./helpers/git-push.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { runGit } from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { RepoRecord } from "./local-github/state.ts";

/** The fork rules of `local-github/forks.ts`, each tried through the API and real git. */
describe("local GitHub: forks and maintainer edits", () => {
  let github: LocalGitHub;
  let base: RepoRecord;
  let fork: RepoRecord;
  let fran: Octokit;
  let bot: Octokit;
  let work: string;
  let editable: number;
  let locked: number;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    base = await github.createRepo("widget", { "README.md": "# widget\n" });
    fork = await github.fork(base, "fran");
    await github.commit(fork, "feature", { "a.txt": "fran's change\n" }, "Fran's change");
    await github.commit(fork, "locked", { "b.txt": "another\n" }, "Locked change");
    fran = octokitFor(github, github.userToken("fran"));
    bot = octokitFor(github, github.installationToken());
    work = await mkdtemp(join(tmpdir(), "local-github-forks-"));
    const open = async (head: string, maintainer_can_modify: boolean) =>
      (
        await fran.rest.pulls.create({
          owner: "acme",
          repo: "widget",
          title: head,
          head: `fran:${head}`,
          base: "main",
          maintainer_can_modify,
        })
      ).data.number;
    editable = await open("feature", true);
    locked = await open("locked", false);
  });

  afterAll(async () => {
    await github?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("shows a fork pull request with its head in the fork and maintainer_can_modify", async () => {
    const { data } = await bot.rest.pulls.get({ owner: "acme", repo: "widget", pull_number: editable });
    expect(data).toMatchObject({
      maintainer_can_modify: true,
      head: { ref: "feature", label: "fran:feature", repo: { full_name: "fran/widget", fork: true } },
      base: { ref: "main", repo: { full_name: "acme/widget", fork: false } },
    });
    const forkHead = (await runGit(["-C", fork.gitDir, "rev-parse", "refs/heads/feature"])).toString().trim();
    expect(data.head.sha).toBe(forkHead);
    const pullRef = (await runGit(["-C", base.gitDir, "rev-parse", `refs/pull/${editable}/head`])).toString();
    expect(pullRef.trim()).toBe(forkHead);
    const { data: files } = await bot.rest.pulls.listFiles({
      owner: "acme",
      repo: "widget",
      pull_number: editable,
    });
    expect(files.map((f) => f.filename)).toEqual(["a.txt"]);
    const listed = await bot.rest.pulls.list({ owner: "acme", repo: "widget", head: "fran:feature" });
    expect(listed.data.map((p) => p.number)).toEqual([editable]);
    expect((await bot.rest.pulls.list({ owner: "acme", repo: "widget", head: "acme:feature" })).data).toEqual(
      [],
    );
  });

  it("lets the installation push to the compare branch of a pull request that allows maintainer edits", async () => {
    const token = github.installationToken();
    const clone = join(work, "editable");
    await runGit([
      "-c",
      basicHeader(token),
      "clone",
      "--quiet",
      "-b",
      "feature",
      `${github.url}/fran/widget.git`,
      clone,
    ]);
    await writeFile(join(clone, "a.txt"), "fixed by the agent\n");
    await runGit(["commit", "--quiet", "-am", "agent fix"], { cwd: clone });
    await runGit(["-c", basicHeader(token), "push", "--quiet", "origin", "HEAD:refs/heads/feature"], {
      cwd: clone,
    });
    const head = (await runGit(["rev-parse", "HEAD"], { cwd: clone })).toString().trim();
    expect(github.pushes().at(-1)).toMatchObject({
      repo: "fran/widget",
      ref: "refs/heads/feature",
      after: head,
    });
    const pullRef = await runGit(["-C", base.gitDir, "rev-parse", `refs/pull/${editable}/head`]);
    expect(pullRef.toString().trim()).toBe(head);
  });

  it("refuses, per ref, any other branch of the fork and a pull request without maintainer edits", async () => {
    const token = github.installationToken();
    const clone = join(work, "others");
    await runGit([
      "-c",
      basicHeader(token),
      "clone",
      "--quiet",
      "-b",
      "locked",
      `${github.url}/fran/widget.git`,
      clone,
    ]);
    await writeFile(join(clone, "b.txt"), "agent\n");
    await runGit(["commit", "--quiet", "-am", "agent"], { cwd: clone });
    for (const branch of ["locked", "brand-new"]) {
      const push = await gitCapture(
        ["-c", basicHeader(token), "push", "origin", `HEAD:refs/heads/${branch}`],
        clone,
      );
      expect(push.code).not.toBe(0);
      expect(push.stderr).toContain(`! [remote rejected] HEAD -> ${branch} (permission denied)`);
      expect(github.pushes().at(-1)).toMatchObject({
        ref: `refs/heads/${branch}`,
        refused: "permission denied",
      });
    }
    expect(locked).toBeGreaterThan(editable);
  });

  it("refuses maintainer edits on an organization's fork, and keeps a repository with no pull request out of reach", async () => {
    const orgFork = await github.fork(base, "fork-org", "Organization");
    await github.commit(orgFork, "org-change", { "c.txt": "c\n" }, "c");
    const member = octokitFor(github, github.userToken("fork-org"));
    await expect(
      member.rest.pulls.create({
        owner: "acme",
        repo: "widget",
        title: "org",
        head: "fork-org:org-change",
        base: "main",
        maintainer_can_modify: true,
      }),
    ).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/organization/) });
    const listing = await gitCapture(
      ["-c", basicHeader(github.installationToken()), "ls-remote", `${github.url}/fork-org/widget.git`],
      work,
    );
    expect(listing.code).not.toBe(0);
    expect(listing.stderr).toMatch(/not found/i);
  });
});
