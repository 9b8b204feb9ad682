import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../action/github/client.ts";
import { deliverCommit } from "../../../action/publish/deliver-commit.ts";
import { PushRejectedError } from "../../../action/publish/push.ts";
import { gitAuth } from "../../../action/workspace/auth-header.ts";
import { basicHeader } from "../../e2e/helpers/git-push.ts";
import { runGit } from "../../e2e/local-github/git-repos.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { RepoRecord } from "../../e2e/local-github/state.ts";
import { noWaitRetry } from "../github/fixtures.ts";

const noRetry = <T>(work: () => Promise<T>) => work();

/** The agent's commit reaches GitHub through createCommitOnBranch where it can, by git push where it cannot. */
describe("deliverCommit", () => {
  let github: LocalGitHub;
  let work: string;
  let n = 0;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    work = await mkdtemp(join(tmpdir(), "deliver-"));
  });
  afterAll(async () => {
    await github?.close();
    await rm(work, { recursive: true, force: true });
  });

  /** A repository, a clone with one local commit made by `change`, and what deliverCommit needs. */
  async function setUp(change: (dir: string) => Promise<void>, setup: (repo: RepoRecord) => void = () => {}) {
    n += 1;
    const repo = await github.createRepo(`d${n}`, { "a.txt": "a\n", "old.txt": "old\n" });
    setup(repo);
    const token = github.installationToken();
    const dir = join(work, repo.name);
    await runGit(["-c", basicHeader(token), "clone", "--quiet", `${github.url}/acme/${repo.name}.git`, dir]);
    await change(dir);
    await runGit(["add", "--all"], { cwd: dir });
    await runGit(
      [
        "-c",
        "user.name=x",
        "-c",
        "user.email=x@example.com",
        "commit",
        "--quiet",
        "-m",
        "Fix a\n\nBody.\n\nInhouse-Task: fix-issue #1",
      ],
      { cwd: dir },
    );
    const local = (await runGit(["rev-parse", "HEAD"], { cwd: dir })).toString().trim();
    const base = (await runGit(["rev-parse", "HEAD^"], { cwd: dir })).toString().trim();
    const input = {
      gh: createGitHubClient({ token, baseUrl: github.url, retry: noWaitRetry }),
      repo: { owner: "acme", name: repo.name },
      target: {
        dir,
        auth: gitAuth(token, github.url),
        branch: "agent/fix-1",
        defaultBranch: "main",
        allowed: { prefix: "agent/" },
      },
      local,
      isNew: true,
      useApi: true,
      retry: noRetry,
    };
    return { repo, dir, local, base, input };
  }

  const regularChange = async (dir: string) => {
    await writeFile(join(dir, "a.txt"), "fixed\n");
    await rm(join(dir, "old.txt"));
  };

  it("makes a regular change through the API: GitHub's signed commit on a new branch cut at the parent", async () => {
    const { repo, base, input } = await setUp(regularChange);
    const delivered = await deliverCommit(input);
    expect(delivered.via).toEqual({ kind: "api" });
    expect(delivered.sha).not.toBe(input.local);
    expect((await github.branches(repo)).get("agent/fix-1")).toBe(delivered.sha);
    expect(github.state.signedCommits.has(delivered.sha)).toBe(true);
    const parent = (await runGit(["-C", repo.gitDir, "rev-parse", `${delivered.sha}^`])).toString().trim();
    expect(parent).toBe(base);
    expect(await github.readFile(repo, "agent/fix-1", "a.txt")).toBe("fixed\n");
    expect(await github.readFile(repo, "agent/fix-1", "old.txt")).toBeUndefined();
    const message = (await runGit(["-C", repo.gitDir, "log", "-1", "--format=%B", delivered.sha])).toString();
    expect(message).toContain("Fix a\n\nBody.\n\nInhouse-Task: fix-issue #1");
  });

  it("pushes with git what the API cannot carry (an executable file), and says why when a signature rule refuses it", async () => {
    const executable = async (dir: string) => {
      await writeFile(join(dir, "run.sh"), "echo hi\n");
      await chmod(join(dir, "run.sh"), 0o755);
    };
    const plain = await setUp(executable);
    expect(await deliverCommit(plain.input)).toMatchObject({
      sha: plain.local,
      via: { kind: "git", reason: expect.stringContaining("`run.sh` is executable") },
    });

    const signed = await setUp(executable, (repo) =>
      github.branchRules.addRuleset(repo, {
        name: "signed",
        include: ["~ALL"],
        rules: ["required_signatures"],
      }),
    );
    const refused = await deliverCommit(signed.input).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PushRejectedError);
    expect((refused as PushRejectedError).kind).toBe("ruleset");
    expect((refused as Error).message).toContain(
      "had to be pushed with git because `run.sh` is executable (file mode 100755)",
    );
  });

  it("lands exactly one commit when GitHub answers 502 after committing, and reports a moved branch as moved", async () => {
    const lost = await setUp(regularChange);
    github.faults.inject({ route: "POST /graphql", status: 502, when: "after" });
    const delivered = await deliverCommit(lost.input);
    expect(github.faults.fired.at(-1)).toMatchObject({ route: "POST /graphql" });
    const count = (
      await runGit(["-C", lost.repo.gitDir, "rev-list", "--count", `${lost.base}..${delivered.sha}`])
    ).toString();
    expect(count.trim()).toBe("1");

    const moved = await setUp(regularChange);
    moved.input.isNew = false;
    moved.input.target.branch = "agent/existing";
    moved.input.target.allowed = { prefix: "agent/" };
    await github.commit(moved.repo, "agent/existing", { "b.txt": "someone\n" }, "someone pushed");
    const error = await deliverCommit(moved.input).catch((e: unknown) => e);
    expect((error as PushRejectedError).kind).toBe("branch-moved");
  });
});
