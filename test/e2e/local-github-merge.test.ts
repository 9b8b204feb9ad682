import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";

describe("local GitHub: merging a pull request", () => {
  let github: LocalGitHub;
  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
  });
  afterAll(() => github.close());

  it("merges the head into the base with a two-parent commit and tells the App merged: true", async () => {
    const repo = await github.createRepo("widget", { "a.txt": "a\n", "b.txt": "b\n" });
    await github.commit(repo, "agent/fix", { "a.txt": "fixed\n" }, "fix a");
    // The base moved on since the branch point: the merge keeps both changes.
    await github.commit(repo, "main", { "b.txt": "newer b\n" }, "touch b");
    const pull = github.state.createIssue(repo, {
      title: "Fix a",
      user: github.state.user("inhouse-test[bot]"),
      pull: { headRef: "agent/fix", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    const delivery = await github.mergePull(pull, "alice");
    expect(await github.readFile(repo, "main", "a.txt")).toBe("fixed\n");
    expect(await github.readFile(repo, "main", "b.txt")).toBe("newer b\n");
    const parents = (await runGit(["-C", repo.gitDir, "log", "-1", "--format=%P", "main"])).toString().trim();
    expect(parents.split(" ")).toHaveLength(2);
    expect(delivery.payload).toMatchObject({
      action: "closed",
      pull_request: {
        number: pull.number,
        merged: true,
        state: "closed",
        merge_commit_sha: pull.pull.mergeCommitSha,
      },
      sender: { login: "alice" },
    });
    await expect(github.mergePull(pull, "alice")).rejects.toThrow(/only an open pull request merges/);
  });
});
