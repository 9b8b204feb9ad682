import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installationOctokit } from "./helpers/octokit.ts";
import {
  commitFiles,
  createBareRepo,
  resolveBranchOrSha,
  resolveRef,
  runGit,
} from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";

// The local GitHub reads branches from git's ref files and remembers what is at a path of a commit
// (git-repos.ts): what it answers must still be what `git rev-parse` and `git show` say.
describe("local GitHub git reads", () => {
  let root: string;
  let gitDir: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "git-reads-"));
    gitDir = join(root, "repo.git");
    await createBareRepo(gitDir, "main");
    await commitFiles(gitDir, "main", { "a.txt": "one\n" }, "first");
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const gitSays = async (ref: string) =>
    (await runGit(["-C", gitDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).toString().trim();

  it("follows a branch through loose refs, packed-refs and deletion", async () => {
    expect(await resolveRef(gitDir, "refs/heads/main")).toBe(await gitSays("refs/heads/main"));
    await runGit(["-C", gitDir, "pack-refs", "--all"]);
    expect(await resolveRef(gitDir, "refs/heads/main")).toBe(await gitSays("refs/heads/main"));
    const moved = await commitFiles(gitDir, "main", { "a.txt": "two\n" }, "second");
    expect(await resolveBranchOrSha(gitDir, "main")).toBe(moved);
    await commitFiles(gitDir, "topic", { "b.txt": "b\n" }, "topic", "main");
    await runGit(["-C", gitDir, "pack-refs", "--all"]);
    await runGit(["-C", gitDir, "update-ref", "-d", "refs/heads/topic"]);
    expect(await resolveRef(gitDir, "refs/heads/topic")).toBeUndefined();
    expect(await resolveRef(gitDir, "refs/heads/never")).toBeUndefined();
  });

  it("does not read a file outside refs/heads through a ref name with ..", async () => {
    const sha = await gitSays("refs/heads/main");
    await writeFile(join(gitDir, "planted"), `${sha}\n`);
    expect(await resolveRef(gitDir, "refs/heads/../../planted")).toBeUndefined();
    expect(await resolveBranchOrSha(gitDir, "../../planted")).toBeUndefined();
  });

  it("serves a file's new text once its branch moves, and the old text at the old commit", async () => {
    const github = await LocalGitHub.start({ owner: "acme" });
    try {
      const repo = await github.createRepo("widget", { "config.yml": "v: 1\n" });
      const octokit = installationOctokit(github);
      const read = async (ref?: string) => {
        const { data } = await octokit.rest.repos.getContent({
          owner: "acme",
          repo: "widget",
          path: "config.yml",
          ...(ref ? { ref } : {}),
        });
        return Buffer.from((data as { content: string }).content, "base64").toString("utf8");
      };
      const first = (await github.branches(repo)).get("main")!;
      expect(await read()).toBe("v: 1\n");
      await github.commit(repo, "main", { "config.yml": "v: 2\n" }, "bump");
      expect(await read()).toBe("v: 2\n");
      expect(await read(first)).toBe("v: 1\n");
    } finally {
      await github.close();
    }
  });
});
