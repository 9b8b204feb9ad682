/**
 * `inhouse eval harvest --github` through the local GitHub: the issues and merged pull requests are
 * read over GitHub's REST API (the local GitHub enforces its routes, permissions and request
 * schemas), the merge commits are the real ones of the repository's history, and each instance's
 * base is the base branch at merge time, not where the pull request's branch started.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../../action/cli/main.ts";
import type { RepositoryExport } from "../../../action/eval/export-format.ts";
import { readInstancesFile } from "../../../action/eval/instance.ts";
import { basicHeader } from "../../e2e/helpers/git-push.ts";
import { octokitFor } from "../../e2e/helpers/octokit.ts";
import { runGit } from "../../e2e/local-github/git-repos.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { PullIssue } from "../../e2e/local-github/shapes/pull.ts";
import type { RepoRecord } from "../../e2e/local-github/state.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { EVAL_TEST_COMMAND } from "../../helpers/eval-fixture-repo.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";

const MATH = `export function sum(a, b) {
  return a - b;
}

export function multiply(x, y) {
  return x + y;
}
`;
const testFile = (name: string, body: string) =>
  `import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { ${name} } from "../src/math.js";\n\n${body}`;
const GREET_TEST = `import assert from "node:assert/strict";\nimport { test } from "node:test";\n\ntest("arithmetic still works", () => {\n  assert.equal(1 + 1, 2);\n});\n`;
/** GitHub's timestamps have second precision: what happens after a PR opens must be a second later. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100));

async function cli(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    env,
  });
  return { code, stdout, stderr };
}

describeDocker("inhouse eval harvest --github through the local GitHub", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  let work: string;
  let restoreNock: () => void;
  const shas: Record<string, string> = {};
  const pulls: Record<string, PullIssue> = {};
  const issues: Record<string, number> = {};

  beforeAll(async () => {
    await requireSandboxImage();
    restoreNock = allowDockerHijack();
    work = await mkdtemp(join(tmpdir(), "harvest-github-"));
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("mathlib", {
      "package.json": `${JSON.stringify({ name: "mathlib", type: "module" }, null, 2)}\n`,
      ".github/agent.yml": `commands:\n  test: ${EVAL_TEST_COMMAND}\n`,
      "src/math.js": MATH,
      "test/basics.test.js": GREET_TEST,
      "README.md": "# mathlib\n\nSmall maths helpres.\n",
    });
    github.addCollaborator(repo, "alice", "write");
    shas.initial = (await github.branches(repo)).get("main")!;

    const open = (title: string, body: string) => {
      const issue = github.openIssue(repo, { title, body, user: "reporter" });
      return issue;
    };
    const sumIssue = open("sum() subtracts", "`sum(2, 3)` returns -1.");
    const multiplyIssue = open("multiply() adds", "`multiply(4, 5)` returns 9.");
    const readmeIssue = open("README typo", "It says helpres.");
    Object.assign(issues, {
      sum: sumIssue.number,
      multiply: multiplyIssue.number,
      readme: readmeIssue.number,
    });
    await github.userComment(sumIssue, "maintainer", "I can reproduce this on main.");
    await nextSecond();

    // Three branches from the same main; pull requests opened by alice through the API.
    const alice = octokitFor(github, github.userToken("alice"));
    const pr = async (key: string, branch: string, files: Record<string, string>, body: string) => {
      await github.commit(repo, branch, files, `${key} change`);
      const { data } = await alice.rest.pulls.create({
        owner: "acme",
        repo: "mathlib",
        head: branch,
        base: "main",
        title: `Change ${key}`,
        body,
      });
      pulls[key] = github.state.issue(repo, data.number) as PullIssue;
    };
    await pr(
      "sum",
      "fix-sum",
      {
        "src/math.js": MATH.replace("return a - b;", "return a + b;"),
        "test/sum.test.js": testFile("sum", 'test("sum adds", () => {\n  assert.equal(sum(2, 3), 5);\n});\n'),
      },
      `Fixes #${sumIssue.number}`,
    );
    await pr(
      "multiply",
      "fix-multiply",
      {
        "src/math.js": MATH.replace("return x + y;", "return x * y;"),
        "test/multiply.test.js": testFile(
          "multiply",
          'test("multiply multiplies", () => {\n  assert.equal(multiply(4, 5), 20);\n});\n',
        ),
      },
      `closes #${multiplyIssue.number}`,
    );
    await pr(
      "readme",
      "readme",
      { "README.md": "# mathlib\n\nSmall maths helpers.\n" },
      `fixes #${readmeIssue.number}`,
    );
    // A competing pull request for the multiply issue that is never merged: it must not count.
    await pr(
      "abandoned",
      "multiply-other",
      { "src/math.js": MATH.replace("return x + y;", "return y * x;") },
      `Fixes #${multiplyIssue.number}`,
    );
    await nextSecond();
    await github.userComment(sumIssue, "maintainer", `Fixed in #${pulls.sum!.number}: LATER-COMMENT`);

    // Merged in another order than opened: multiply's base at merge time is main after the other two.
    await github.mergePull(pulls.sum!, "alice");
    await github.mergePull(pulls.readme!, "alice");
    shas.mainBeforeMultiply = (await github.branches(repo)).get("main")!;
    await github.mergePull(pulls.multiply!, "alice");
    expect(github.state.issue(repo, multiplyIssue.number)!.state).toBe("closed");
  });

  afterAll(async () => {
    await github?.close();
    if (work) await rm(work, { recursive: true, force: true });
    restoreNock?.();
  });

  it("reads issues and merged PRs over the API, with their real merge commits and the base at merge time", async () => {
    const token = github.installationToken({
      permissions: { contents: "read", issues: "read", pull_requests: "read" },
    });
    const clone = join(work, "clone");
    await runGit(["-c", basicHeader(token), "clone", "--quiet", `${github.url}/acme/mathlib.git`, clone]);
    const out = join(work, "instances.json");
    const result = await cli(
      ["eval", "harvest", "--repo", clone, "--github", "acme/mathlib", "--api-url", github.url, "--out", out],
      { GITHUB_TOKEN: token },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);

    const exported = JSON.parse(
      await readFile(join(work, "instances.export.json"), "utf8"),
    ) as RepositoryExport;
    expect(exported.repository).toBe("acme/mathlib");
    // Merged ones only (most recently updated first; merges within one second tie): not the abandoned PR.
    expect(exported.pulls.map((p) => p.number).sort()).toEqual(
      [pulls.multiply!, pulls.readme!, pulls.sum!].map((p) => p.number).sort(),
    );
    expect(exported.pulls.at(-1)?.number).toBe(pulls.sum!.number);
    for (const key of ["sum", "multiply", "readme"]) {
      const pull = exported.pulls.find((p) => p.number === pulls[key]!.number)!;
      expect(pull.mergeCommit?.oid).toBe(pulls[key]!.pull.mergeCommitSha);
      expect(pull.commits).toHaveLength(1);
    }
    expect(exported.pulls.find((p) => p.number === pulls.sum!.number)!.files).toEqual([
      { path: "src/math.js" },
      { path: "test/sum.test.js" },
    ]);
    expect(exported.issues.map((i) => [i.number, i.state]).sort()).toEqual(
      [
        [issues.sum, "CLOSED"],
        [issues.multiply, "CLOSED"],
        [issues.readme, "CLOSED"],
      ].sort(),
    );

    const file = await readInstancesFile(out);
    expect(file.instances.map((i) => [i.issue, i.pull])).toEqual([
      [issues.sum, pulls.sum!.number],
      [issues.multiply, pulls.multiply!.number],
    ]);
    const [sum, multiply] = file.instances;
    expect(sum!.mergeCommit).toBe(pulls.sum!.pull.mergeCommitSha);
    expect(sum!.baseCommit).toBe(shas.initial);
    expect(multiply!.mergeCommit).toBe(pulls.multiply!.pull.mergeCommitSha);
    // Not the branch point (the initial commit): main as it was when the PR was merged.
    expect(multiply!.baseCommit).toBe(shas.mainBeforeMultiply);
    expect(multiply!.baseCommit).not.toBe(shas.initial);
    expect(sum!.failToPass).toEqual(["sum adds"]);
    expect(sum!.passToPass).toContain("arithmetic still works");
    expect(multiply!.failToPass).toEqual(["multiply multiplies"]);
    // The issue as it was when the PR opened: the comment before it, not the one after.
    expect(sum!.thread.comments.map((c) => c.body)).toEqual(["I can reproduce this on main."]);
    expect(JSON.stringify(sum!.thread)).not.toContain("LATER-COMMENT");
    expect(file.dropped).toContainEqual(
      expect.objectContaining({
        issue: issues.readme,
        reason: expect.stringMatching(/changed no test files/),
      }),
    );
    expect(github.violations()).toEqual([]);
  }, 300_000);
});
