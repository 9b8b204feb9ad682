import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { RepoRecord } from "./local-github/state.ts";

const MUTATION = `mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;
const b64 = (text: string) => Buffer.from(text).toString("base64");

/** The GraphQL endpoint of `local-github/graphql.ts`: createCommitOnBranch, strictly as GitHub's schema has it. */
describe("local GitHub: POST /graphql createCommitOnBranch", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  let n = 0;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
  });
  afterAll(async () => {
    await github?.close();
  });

  const post = async (
    query: string,
    variables: Record<string, unknown>,
    token = github.installationToken(),
  ) => {
    const response = await fetch(`${github.url}/graphql`, {
      method: "POST",
      headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, json: (await response.json()) as { data?: any; errors?: any[] } };
  };
  const git = async (...args: string[]) => (await runGit(["-C", repo.gitDir, ...args])).toString().trim();

  async function freshRepo(): Promise<string> {
    n += 1;
    repo = await github.createRepo(`g${n}`, { "a.txt": "a\n", "gone.txt": "bye\n", "run.sh": "echo hi\n" });
    return git("rev-parse", "refs/heads/main");
  }
  const input = (head: string, fileChanges: unknown, branch = "main") => ({
    input: {
      branch: { repositoryNameWithOwner: `acme/${repo.name}`, branchName: branch },
      expectedHeadOid: head,
      message: { headline: "Agent change", body: "Why.\n\nInhouse-Task: fix-issue #1" },
      fileChanges,
    },
  });

  it("commits additions and deletions on top of expectedHeadOid, authored by the App's bot and signed by GitHub", async () => {
    const head = await freshRepo();
    const { status, json } = await post(
      MUTATION,
      input(head, {
        additions: [{ path: "src/new.txt", contents: b64("new\n") }],
        deletions: [{ path: "gone.txt" }],
      }),
    );
    expect(status).toBe(200);
    expect(json.errors).toBeUndefined();
    const oid = json.data.createCommitOnBranch.commit.oid as string;
    expect(await git("rev-parse", "refs/heads/main")).toBe(oid);
    expect(await git("log", "-1", "--format=%P|%an <%ae>|%cn <%ce>|%B", oid)).toMatch(
      new RegExp(
        `^${head}\\|inhouse-test\\[bot\\] <\\d+\\+inhouse-test\\[bot\\]@users.noreply.github.com>\\|GitHub <noreply@github.com>\\|Agent change\\n\\nWhy.`,
      ),
    );
    expect(await git("ls-tree", "-r", "--name-only", oid)).toBe("a.txt\nrun.sh\nsrc/new.txt");
    expect(github.state.signedCommits.has(oid)).toBe(true);
    expect(github.pushes().at(-1)).toMatchObject({
      ref: "refs/heads/main",
      before: head,
      after: oid,
      via: "api",
    });
  });

  it("refuses a stale expectedHeadOid with STALE_DATA and GitHub's message, changing nothing", async () => {
    const head = await freshRepo();
    await github.commit(repo, "main", { "a.txt": "moved\n" }, "someone pushed");
    const { json } = await post(
      MUTATION,
      input(head, { additions: [{ path: "a.txt", contents: b64("x\n") }] }),
    );
    expect(json.data).toEqual({ createCommitOnBranch: null });
    expect(json.errors).toMatchObject([
      {
        type: "STALE_DATA",
        path: ["createCommitOnBranch"],
        message: `Expected branch to point to "${head}" but it did not.  Pull and try again.`,
      },
    ]);
  });

  it("validates the request against GitHub's schema and refuses what the mutation's docs forbid", async () => {
    const head = await freshRepo();
    const missing = await post(MUTATION, {
      input: {
        branch: { repositoryNameWithOwner: `acme/${repo.name}`, branchName: "main" },
        expectedHeadOid: head,
      },
    });
    expect(missing.json.errors?.[0].message).toMatch(/message.*required|Field "message" of required type/);
    const unknown = await post("mutation { createCommitOnBranch(input: {}) { nope } }", {});
    expect(unknown.json.errors?.length).toBeGreaterThan(0);
    const rules = [
      [{ additions: [{ path: "a.txt", contents: "not base64!" }] }, /not valid base64/],
      [
        { additions: [{ path: "a.txt", contents: b64("1") }], deletions: [{ path: "a.txt" }] },
        /more than once/,
      ],
      [{ deletions: [{ path: "missing.txt" }] }, /requested for deletion which does not exist/],
      [{ additions: [{ path: "/abs.txt", contents: b64("1") }] }, /not slash-prefixed/],
    ] as const;
    for (const [changes, message] of rules) {
      const { json } = await post(MUTATION, input(head, changes));
      expect(json.errors?.[0]).toMatchObject({
        type: "UNPROCESSABLE",
        message: expect.stringMatching(message),
      });
    }
    expect(await git("rev-parse", "refs/heads/main")).toBe(head);
  });

  it("records any other query as a violation: only createCommitOnBranch is implemented", async () => {
    const before = github.violations().length;
    const { json } = await post("query { viewer { login } }", {});
    expect(json.errors?.[0].message).toMatch(/not implemented by the local GitHub/);
    expect(github.violations().slice(before)).toMatchObject([{ kind: "not-implemented", path: "/graphql" }]);
    const anonymous = await fetch(`${github.url}/graphql`, { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
  });

  it("writes every file as mode 100644, so an executable loses its bit", async () => {
    const start = await freshRepo();
    const env = { GIT_INDEX_FILE: `${repo.gitDir}/scratch-index` };
    await runGit(["-C", repo.gitDir, "read-tree", start], { env });
    const blob = await git("rev-parse", `${start}:run.sh`);
    await runGit(["-C", repo.gitDir, "update-index", "--cacheinfo", `100755,${blob},run.sh`], { env });
    const tree = (await runGit(["-C", repo.gitDir, "write-tree"], { env })).toString().trim();
    const head = (await runGit(["-C", repo.gitDir, "commit-tree", tree, "-p", start, "-m", "x"]))
      .toString()
      .trim();
    await runGit(["-C", repo.gitDir, "update-ref", "refs/heads/main", head]);
    expect((await git("ls-tree", head, "run.sh")).split(" ")[0]).toBe("100755");
    const gh = new Octokit({ auth: github.installationToken(), baseUrl: github.url });
    const result = await gh.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(
      MUTATION,
      input(head, { additions: [{ path: "run.sh", contents: b64("echo changed\n") }] }),
    );
    const oid = result.createCommitOnBranch.commit.oid;
    expect((await git("ls-tree", oid, "run.sh")).split(" ")[0]).toBe("100644");
  });

  it("applies rulesets: a signature rule accepts the signed API commit, a pull-request rule refuses it", async () => {
    const head = await freshRepo();
    github.branchRules.addRuleset(repo, {
      name: "signed",
      include: ["~ALL"],
      rules: ["required_signatures"],
    });
    const signed = await post(
      MUTATION,
      input(head, { additions: [{ path: "a.txt", contents: b64("b\n") }] }),
    );
    expect(signed.json.errors).toBeUndefined();
    github.branchRules.addRuleset(repo, {
      name: "prs",
      include: ["~DEFAULT_BRANCH"],
      rules: ["pull_request"],
    });
    const next = signed.json.data.createCommitOnBranch.commit.oid;
    const refused = await post(
      MUTATION,
      input(next, { additions: [{ path: "a.txt", contents: b64("c\n") }] }),
    );
    expect(refused.json.errors?.[0]).toMatchObject({
      type: "UNPROCESSABLE",
      message: expect.stringContaining(
        "Repository rule violations found\n\nChanges must be made through a pull request.",
      ),
    });
  });

  it("refuses an installation without Contents: write, as GitHub refuses an integration", async () => {
    const readOnly = await LocalGitHub.start({
      owner: "acme",
      manifest: {
        text: "name: t\nurl: https://example.com\ndefault_permissions:\n  contents: read\n  metadata: read\n",
      },
    });
    try {
      const only = await readOnly.createRepo("r", { "a.txt": "a\n" });
      const head = (await runGit(["-C", only.gitDir, "rev-parse", "refs/heads/main"])).toString().trim();
      const response = await fetch(`${readOnly.url}/graphql`, {
        method: "POST",
        headers: { authorization: `bearer ${readOnly.installationToken()}` },
        body: JSON.stringify({
          query: MUTATION,
          variables: {
            input: {
              branch: { repositoryNameWithOwner: "acme/r", branchName: "main" },
              expectedHeadOid: head,
              message: { headline: "x" },
              fileChanges: { additions: [{ path: "a.txt", contents: b64("b\n") }] },
            },
          },
        }),
      });
      const json = (await response.json()) as { errors?: Array<{ type?: string; message: string }> };
      expect(json.errors?.[0]).toMatchObject({
        type: "FORBIDDEN",
        message: "Resource not accessible by integration",
      });
    } finally {
      await readOnly.close();
    }
  });
});
