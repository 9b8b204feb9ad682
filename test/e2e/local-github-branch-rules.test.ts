import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicHeader, gitCapture } from "./helpers/git-push.ts";
import { runGit } from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { RepoRecord } from "./local-github/state.ts";

/** The rules of `local-github/branch-rules.ts`, each tried with a real `git push` over HTTP. */
describe("local GitHub: branch protection and rulesets", () => {
  let github: LocalGitHub;
  let work: string;
  let counter = 0;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    work = await mkdtemp(join(tmpdir(), "local-github-rules-"));
  });

  afterAll(async () => {
    await github?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** A fresh repository and a clone of it with one new commit on `main`, pushed with an installation token. */
  async function cloneWithCommit(): Promise<{
    repo: RepoRecord;
    clone: string;
    push: (refspec: string, ...flags: string[]) => ReturnType<typeof gitCapture>;
  }> {
    counter += 1;
    const repo = await github.createRepo(`repo-${counter}`, { "a.txt": "a\n" });
    const token = github.installationToken();
    const clone = join(work, repo.name);
    await runGit([
      "-c",
      basicHeader(token),
      "clone",
      "--quiet",
      `${github.url}/acme/${repo.name}.git`,
      clone,
    ]);
    await writeFile(join(clone, "a.txt"), "b\n");
    await runGit(["commit", "--quiet", "-am", "change"], { cwd: clone });
    const push = (refspec: string, ...flags: string[]) =>
      gitCapture(["-c", basicHeader(token), "push", ...flags, "origin", refspec], clone);
    return { repo, clone, push };
  }

  it("lets a force push through on an unprotected branch, as GitHub does", async () => {
    const { clone, push } = await cloneWithCommit();
    expect((await push("HEAD:refs/heads/topic")).code).toBe(0);
    await runGit(["commit", "--quiet", "--amend", "-m", "rewritten"], { cwd: clone });
    expect((await push("HEAD:refs/heads/topic", "--force")).code).toBe(0);
    expect(github.pushes().at(-1)).toMatchObject({ ref: "refs/heads/topic", forced: true });
  });

  it("refuses a force push to a protected branch with GH006 and `protected branch hook declined`", async () => {
    const { repo, clone, push } = await cloneWithCommit();
    github.branchRules.protect(repo, "main", {});
    expect((await push("HEAD:refs/heads/main")).code).toBe(0);
    await runGit(["commit", "--quiet", "--amend", "-m", "rewritten"], { cwd: clone });
    const forced = await push("HEAD:refs/heads/main", "--force");
    expect(forced.code).not.toBe(0);
    expect(forced.stderr).toContain(
      "remote: error: GH006: Protected branch update failed for refs/heads/main.",
    );
    expect(forced.stderr).toContain("remote: - Cannot force-push to this branch");
    expect(forced.stderr).toContain("! [remote rejected] HEAD -> main (protected branch hook declined)");
    expect(github.pushes().at(-1)).toMatchObject({
      ref: "refs/heads/main",
      refused: "protected branch hook declined",
    });
  });

  it("refuses a direct push where a pull request is required, and says so in --porcelain output too", async () => {
    const { repo, push } = await cloneWithCommit();
    github.branchRules.protect(repo, "main", { requirePullRequest: true });
    const direct = await push("HEAD:refs/heads/main", "--porcelain");
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toContain("remote: - Changes must be made through a pull request.");
    expect(direct.stdout).toContain(
      "!\tHEAD:refs/heads/main\t[remote rejected] (protected branch hook declined)",
    );
    expect((await push("HEAD:refs/heads/agent/fix")).code).toBe(0);
  });

  it("refuses unsigned commits under a signature ruleset with GH013, naming each commit", async () => {
    const { repo, clone, push } = await cloneWithCommit();
    github.branchRules.addRuleset(repo, {
      name: "signed",
      include: ["~ALL"],
      rules: ["required_signatures"],
    });
    const sha = (await runGit(["rev-parse", "HEAD"], { cwd: clone })).toString().trim();
    const refused = await push("HEAD:refs/heads/agent/fix");
    expect(refused.code).not.toBe(0);
    for (const line of [
      "remote: error: GH013: Repository rule violations found for refs/heads/agent/fix.",
      `remote: Review all repository rules at ${github.url}/acme/${repo.name}/rules?ref=refs%2Fheads%2Fagent%2Ffix`,
      "remote: - Commits must have verified signatures.",
      "remote:   Found 1 violation:",
      `remote:   ${sha}`,
      "! [remote rejected] HEAD -> agent/fix (push declined due to repository rule violations)",
    ]) {
      expect(refused.stderr).toContain(line);
    }
    expect((await github.branches(repo)).has("agent/fix")).toBe(false);
    github.state.signedCommits.add(sha);
    expect((await push("HEAD:refs/heads/agent/fix")).code).toBe(0);
  });

  it("applies a ruleset only to the refs it includes, and not to an App on its bypass list", async () => {
    const { repo, push } = await cloneWithCommit();
    github.branchRules.addRuleset(repo, {
      name: "main",
      include: ["~DEFAULT_BRANCH"],
      rules: ["pull_request"],
    });
    github.branchRules.addRuleset(repo, {
      name: "releases",
      include: ["refs/heads/release/**"],
      rules: ["creation"],
      bypassApp: true,
    });
    expect((await push("HEAD:refs/heads/main")).stderr).toContain(
      "(push declined due to repository rule violations)",
    );
    expect((await push("HEAD:refs/heads/release/1.0")).code).toBe(0);
    expect((await push("HEAD:refs/heads/feature/x")).code).toBe(0);
  });

  it("refuses deleting a protected branch", async () => {
    const { repo, push } = await cloneWithCommit();
    expect((await push("HEAD:refs/heads/keep")).code).toBe(0);
    github.branchRules.protect(repo, "kee*", {});
    const deletion = await push(":refs/heads/keep");
    expect(deletion.stderr).toContain("remote: - Cannot delete this branch");
    expect((await github.branches(repo)).has("keep")).toBe(true);
  });
});
