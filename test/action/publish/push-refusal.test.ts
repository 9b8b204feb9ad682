import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PushRejectedError, pushHead } from "../../../action/publish/push.ts";
import { classifyPushRefusal } from "../../../action/publish/push-refusal.ts";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { basicHeader } from "../../e2e/helpers/git-push.ts";
import { runGit } from "../../e2e/local-github/git-repos.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { RepoRecord } from "../../e2e/local-github/state.ts";

const noRetry = <T>(work: () => Promise<T>) => work();

/** Every kind of refusal is produced by a real push to the local GitHub and read back by the action's classifier. */
describe("push refusals name the rule", () => {
  let github: LocalGitHub;
  let work: string;
  let n = 0;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    work = await mkdtemp(join(tmpdir(), "push-refusal-"));
  });
  afterAll(async () => {
    await github?.close();
    await rm(work, { recursive: true, force: true });
  });

  async function pushTo(
    setup: (repo: RepoRecord) => void,
    branch = "agent/fix-1",
  ): Promise<PushRejectedError> {
    n += 1;
    const repo = await github.createRepo(`r${n}`, { "a.txt": "a\n" });
    const existing = !branch.startsWith("agent/");
    if (existing) await github.commit(repo, branch, { "f.txt": "f\n" }, "the PR's commit");
    setup(repo);
    const token = github.installationToken();
    const dir = join(work, repo.name);
    await runGit([
      "-c",
      basicHeader(token),
      "clone",
      "--quiet",
      ...(existing ? ["-b", branch] : []),
      `${github.url}/acme/${repo.name}.git`,
      dir,
    ]);
    await writeFile(join(dir, "a.txt"), "b\n");
    await runGit(["commit", "--quiet", "-am", "agent change"], { cwd: dir });
    const target = {
      dir,
      auth: gitAuth(token, github.url),
      branch,
      defaultBranch: "main",
      allowed: { prefix: "agent/", prBranch: branch },
    };
    const error = await pushHead(target, noRetry).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PushRejectedError);
    return error as PushRejectedError;
  }

  it("a ruleset requiring signed commits: GH013, the rule, and the bypass advice", async () => {
    const error = await pushTo((repo) =>
      github.branchRules.addRuleset(repo, {
        name: "signed",
        include: ["~ALL"],
        rules: ["required_signatures"],
      }),
    );
    expect(error.kind).toBe("ruleset");
    expect(error.message).toContain(
      "a repository ruleset forbids it (Commits must have verified signatures.)",
    );
    expect(error.message).toContain("bypass list");
    expect(error.message).not.toMatch(/branch moved/);
  });

  it("a protected branch: GH006 with the rule GitHub printed", async () => {
    const error = await pushTo(
      (repo) => github.branchRules.protect(repo, "feature", { requirePullRequest: true }),
      "feature",
    );
    expect(error.kind).toBe("protected-branch");
    expect(error.message).toContain("the branch is protected (Changes must be made through a pull request.)");
  });

  it("a fork that does not allow maintainer edits", () => {
    const refusal = classifyPushRefusal(
      "To http://x/fran/widget.git\n ! [remote rejected] HEAD -> feature (permission denied)\n",
      "feature",
    );
    expect(refusal?.kind).toBe("fork-permission");
    expect(refusal?.advice).toContain("Allow edits from maintainers");
  });

  it("a workflow file without the Workflows permission, in the words GitHub uses", () => {
    // Quoted from peter-evans/create-pull-request#1234 and repo-sync/github-sync#23.
    const output =
      "To https://github.com/acme/widget\n ! [remote rejected] HEAD -> agent/x (refusing to allow a GitHub App to create or update workflow `.github/workflows/formatter.yml` without `workflows` permission)\nerror: failed to push some refs";
    const refusal = classifyPushRefusal(output, "agent/x");
    expect(refusal?.kind).toBe("workflows-permission");
    expect(refusal?.advice).toContain("`.github/workflows/formatter.yml`");
    expect(refusal?.advice).toContain("Workflows: Read and write");
  });

  it("a branch that moved is still read as moved, and a network failure is not a refusal", () => {
    const moved = classifyPushRefusal(
      "!\tHEAD:refs/heads/feature\t[rejected] (fetch first)\nDone",
      "feature",
    );
    expect(moved?.kind).toBe("branch-moved");
    expect(
      classifyPushRefusal("fatal: unable to access 'http://x/': The requested URL returned error: 502", "x"),
    ).toBeUndefined();
  });
});
