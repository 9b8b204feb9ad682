import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "./helpers/octokit.ts";
import { catchWebhooks } from "./helpers/webhook-catcher.ts";
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

  it("a merged pull request keeps its head, commits and files; the base branch has moved to the merge commit", async () => {
    const repo = await github.createRepo("kept", { "src/a.js": "a\n", "test/a.test.js": "t\n" });
    await github.commit(repo, "fix", { "src/a.js": "fixed\n", "test/a.test.js": "t2\n" }, "fix a");
    const head = await github.commit(repo, "fix", { "src/a.js": "fixed again\n" }, "fix a again");
    const pull = github.state.createIssue(repo, {
      title: "Fix a",
      user: github.state.user("alice"),
      pull: { headRef: "fix", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    const baseBefore = (await github.branches(repo)).get("main")!;
    await github.mergePull(pull, "alice");
    const api = octokitFor(github, github.installationToken());
    const { data } = await api.rest.pulls.get({ owner: "acme", repo: "kept", pull_number: pull.number });
    expect(data).toMatchObject({ merged: true, commits: 2, head: { sha: head }, base: { sha: baseBefore } });
    expect(data.merge_commit_sha).toBe((await github.branches(repo)).get("main"));
    const files = await api.rest.pulls.listFiles({ owner: "acme", repo: "kept", pull_number: pull.number });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([
      ["src/a.js", "modified"],
      ["test/a.test.js", "modified"],
    ]);
  });

  it("lists pull requests newest first by default, and by sort and direction when asked", async () => {
    const repo = await github.createRepo("listed", { "a.txt": "a\n" });
    const numbers: number[] = [];
    for (const branch of ["one", "two", "three"]) {
      await github.commit(repo, branch, { [`${branch}.txt`]: `${branch}\n` }, branch);
      numbers.push(
        github.state.createIssue(repo, {
          title: branch,
          user: github.state.user("alice"),
          pull: { headRef: branch, baseRef: "main", draft: false, merged: false },
        }).number,
      );
    }
    const first = github.state.issue(repo, numbers[0]!)!;
    first.updatedAt = "2999-01-01T00:00:00Z";
    const api = octokitFor(github, github.installationToken());
    const list = async (query: Record<string, string>) =>
      (
        await api.request("GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "listed", ...query })
      ).data.map((p: { number: number }) => p.number);
    expect(await list({})).toEqual([...numbers].reverse());
    expect(await list({ direction: "asc" })).toEqual(numbers);
    expect(await list({ sort: "updated" })).toEqual([numbers[1], numbers[2], numbers[0]]);
    expect(await list({ sort: "updated", direction: "desc" })).toEqual([numbers[0], numbers[2], numbers[1]]);
    await expect(list({ sort: "sideways" })).rejects.toMatchObject({ status: 422 });
  });

  it("a merge into the default branch closes the issues its description names with a closing keyword", async () => {
    const repo = await github.createRepo("linked", { "a.txt": "a\n" });
    const fixed = github.openIssue(repo, { title: "one", user: "alice" });
    const resolved = github.openIssue(repo, { title: "two", user: "alice" });
    const mentioned = github.openIssue(repo, { title: "three", user: "alice" });
    const open = (branch: string, base: string, body: string) =>
      github.state.createIssue(repo, {
        title: branch,
        body,
        user: github.state.user("alice"),
        pull: { headRef: branch, baseRef: base, draft: false, merged: false },
      }) as PullIssue;
    await github.commit(repo, "release", { "r.txt": "r\n" }, "release branch");
    await github.commit(repo, "to-release", { "b.txt": "b\n" }, "b");
    await github.mergePull(open("to-release", "release", `Fixes #${mentioned.number}`), "alice");
    expect(mentioned.state).toBe("open");
    await github.commit(repo, "fix", { "a.txt": "fixed\n" }, "fix");
    await github.mergePull(
      open("fix", "main", `FIXES #${fixed.number}, Resolves: #${resolved.number}; see #${mentioned.number}`),
      "alice",
    );
    expect([fixed.state, resolved.state, mentioned.state]).toEqual(["closed", "closed", "open"]);
    expect(fixed.closedAt).not.toBeNull();
  });

  it("a pull request closed through the API is delivered as pull_request.closed with merged: false, sent by who closed it", async () => {
    const repo = await github.createRepo("closing", { "a.txt": "a\n" });
    await github.commit(repo, "idea", { "a.txt": "maybe\n" }, "an idea");
    const pull = github.state.createIssue(repo, {
      title: "An idea",
      user: github.state.user("alice"),
      pull: { headRef: "idea", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    const catcher = await catchWebhooks(github.app.webhookSecret);
    github.connectApp(catcher.url);
    try {
      const bob = octokitFor(github, github.userToken("bob"));
      const closing = { owner: "acme", repo: "closing", pull_number: pull.number, state: "closed" as const };
      await bob.rest.pulls.update(closing);
      await bob.rest.pulls.update(closing);
      await github.idle();
      expect(catcher.received.map((w) => [w.event, w.payload.action, w.signatureValid])).toEqual([
        ["pull_request", "closed", true],
      ]);
      expect(catcher.received[0]!.payload).toMatchObject({
        pull_request: { number: pull.number, state: "closed", merged: false, closed_at: pull.closedAt },
        sender: { login: "bob" },
      });
      expect(pull.closedAt).not.toBeNull();
    } finally {
      github.connectApp(undefined);
      await catcher.close();
    }
  });
});
