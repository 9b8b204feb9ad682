/**
 * `inhouse eval run --suggest --github`: the best profile becomes a pull request on the local GitHub
 * that changes only `.github/agent.yml`, built on GitHub's default branch as it is now, opened by the
 * person running the eval (their token, their git credentials), with the report as its description.
 * Nothing is merged or pushed to the default branch; a second run finds the open pull request.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEvalArgs } from "../../../action/cli/eval-args.ts";
import type { EvalInstance } from "../../../action/eval/instance.ts";
import { buildReport } from "../../../action/eval/report.ts";
import { suggestByPullRequest } from "../../../action/eval/suggest-pull-request.ts";
import { basicHeader } from "../../e2e/helpers/git-push.ts";
import { runGit } from "../../e2e/local-github/git-repos.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { RepoRecord } from "../../e2e/local-github/state.ts";
import { gradedResult } from "../../helpers/eval-result.ts";

const CONFIG =
  "# tuned by the platform team\ncommands:\n  test: npm test\nlimits: { turns: 8, minutes: 5 }\n";

const instances = ["acme/mathlib#1", "acme/mathlib#3"].map((id) => ({ id }) as EvalInstance);
const report = buildReport(
  "acme/mathlib",
  instances,
  ["workstation", "gpu"],
  [
    gradedResult("workstation", "acme/mathlib#1", true),
    gradedResult("workstation", "acme/mathlib#3", false),
    gradedResult("gpu", "acme/mathlib#1", true),
    gradedResult("gpu", "acme/mathlib#3", true),
  ],
);

describe("eval's suggested profile as a pull request on the local GitHub", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  let work: string;
  let clone: string;
  const git = async (...args: string[]) => (await runGit(["-C", clone, ...args])).toString("utf8").trim();

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("mathlib", { ".github/agent.yml": CONFIG, "README.md": "# mathlib\n" });
    github.addCollaborator(repo, "alice", "write");
    work = await mkdtemp(join(tmpdir(), "suggest-pr-"));
    clone = join(work, "clone");
    // alice's clone, with her credentials configured for git (as a credential helper would).
    const header = basicHeader(github.userToken("alice"));
    await runGit(["-c", header, "clone", "--quiet", `${github.url}/acme/mathlib.git`, clone]);
    const [key, ...value] = header.split("=");
    await git("config", key!, value.join("="));
    await writeFile(join(clone, "NOTES.md"), "local work in progress\n");
  });

  afterAll(async () => {
    await github?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("opens a pull request that changes only .github/agent.yml, on GitHub's newest default branch", async () => {
    // main moved on GitHub after the clone: the suggestion must not carry the clone's older state.
    const newest = await github.commit(repo, "main", { "CHANGELOG.md": "- newer\n" }, "newer main");
    const cloneHead = await git("rev-parse", "HEAD");
    const pull = await suggestByPullRequest(clone, report, {
      repository: "acme/mathlib",
      token: github.userToken("alice"),
      apiUrl: github.url,
    });
    expect(pull).toMatchObject({ kind: "opened", branch: "eval/model-gpu", profile: "gpu" });
    const pulls = github.pulls(repo);
    expect(pulls).toHaveLength(1);
    const record = pulls[0]!;
    expect(record.number).toBe(pull.kind === "opened" ? pull.number : -1);
    expect(record.user.login).toBe("alice");
    expect(record.state).toBe("open");
    expect(record.pull).toMatchObject({ headRef: "eval/model-gpu", baseRef: "main", merged: false });
    expect(record.title).toBe("Use model profile gpu (inhouse eval)");
    expect(record.body).toContain("Nothing changes until someone merges it");
    expect(record.body).toContain("| gpu (best) | gpu-model | 2/2 |");

    const suggested = await github.readFile(repo, "eval/model-gpu", ".github/agent.yml");
    expect(suggested).toContain("# tuned by the platform team");
    expect(suggested).toContain("limits: { turns: 8, minutes: 5 }");
    expect(suggested).toMatch(/model:\n\s+profile: gpu/);
    const head = (await github.branches(repo)).get("eval/model-gpu")!;
    const parents = (await runGit(["-C", repo.gitDir, "log", "-1", "--format=%P", head])).toString().trim();
    expect(parents).toBe(newest);
    const changed = (await runGit(["-C", repo.gitDir, "diff", "--name-only", newest, head]))
      .toString()
      .trim();
    expect(changed).toBe(".github/agent.yml");
    // Nothing else moved: GitHub's main, the clone's HEAD and its uncommitted work.
    expect((await github.branches(repo)).get("main")).toBe(newest);
    expect(await git("rev-parse", "HEAD")).toBe(cloneHead);
    expect(await git("status", "--porcelain")).toBe("?? NOTES.md");
    expect(github.violations()).toEqual([]);
  });

  it("a second run finds the open pull request and leaves it as it is", async () => {
    const before = (await github.branches(repo)).get("eval/model-gpu");
    const again = await suggestByPullRequest(clone, report, {
      repository: "acme/mathlib",
      token: github.userToken("alice"),
      apiUrl: github.url,
    });
    expect(again).toMatchObject({ kind: "already-open", number: github.pulls(repo)[0]!.number });
    expect(github.pulls(repo)).toHaveLength(1);
    expect((await github.branches(repo)).get("eval/model-gpu")).toBe(before);
  });

  it("suggests nothing when GitHub's default branch already uses the best profile", async () => {
    await github.commit(
      repo,
      "main",
      { ".github/agent.yml": `${CONFIG}model:\n  profile: gpu\n` },
      "use gpu",
    );
    const pull = await suggestByPullRequest(clone, report, {
      repository: "acme/mathlib",
      token: github.userToken("alice"),
      apiUrl: github.url,
    });
    expect(pull).toEqual({ kind: "unchanged", profile: "gpu", why: ".github/agent.yml already uses gpu" });
    expect(github.pulls(repo)).toHaveLength(1);
  });

  it("the CLI opens a pull request only when asked with --suggest", () => {
    expect(() =>
      parseEvalArgs(["run", "--instances", "i.json", "--out", "o", "--github", "acme/mathlib"], {}),
    ).toThrow(/add --suggest/);
    const parsed = parseEvalArgs(
      [
        "run",
        "--instances",
        "i.json",
        "--out",
        "o",
        "--suggest",
        "--github",
        "acme/mathlib",
        "--remote",
        "gh",
      ],
      {},
    );
    expect(parsed).toMatchObject({ options: { suggest: true, github: "acme/mathlib", remote: "gh" } });
  });
});
