import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalGitHub } from "../local-github/local-github.ts";

/** The faults a test injects into the local GitHub (`local-github/faults.ts`), each tried on the wire. */
describe("local GitHub: injected faults", () => {
  let github: LocalGitHub;
  let token: string;
  const route = "GET /repos/{owner}/{repo}";

  beforeEach(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    token = github.installationToken();
  });

  afterEach(async () => {
    await github?.close();
  });

  const get = (signal?: AbortSignal) =>
    fetch(`${github.url}/repos/acme/widget`, { headers: { authorization: `token ${token}` }, signal });

  it("a hung request sends nothing until the client gives up, and the next one is answered", async () => {
    github.faults.inject({ route, hang: true, when: "before" });
    const started = Date.now();
    const hung = await get(AbortSignal.timeout(300)).then(
      () => "answered",
      (error: Error) => error.name,
    );
    expect(hung).toBe("TimeoutError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await get()).status).toBe(200);
    expect(github.faults.fired).toEqual([{ route, when: "before", status: "hang" }]);
  });

  it("a secondary-limit fault answers GitHub's 403 or 429 with its message and retry-after", async () => {
    github.faults.inject({ route, secondaryLimit: { status: 429, retryAfterSeconds: 7 }, when: "before" });
    github.faults.inject({ route, secondaryLimit: { status: 403, retryAfterSeconds: 3 }, when: "before" });
    for (const [status, wait] of [
      [429, "7"],
      [403, "3"],
    ] as const) {
      const answer = await get();
      expect(answer.status).toBe(status);
      expect(answer.headers.get("retry-after")).toBe(wait);
      expect(((await answer.json()) as { message: string }).message).toMatch(
        /exceeded a secondary rate limit/,
      );
    }
    expect((await get()).status).toBe(200);
  });

  it("a change made meanwhile lands after GitHub answered one request and before the client's next", async () => {
    const repo = github.state.repo("acme", "widget")!;
    const issue = github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    const comment = github.state.createComment(issue, "queued", github.state.user("alice"));
    const commentRoute = "GET /repos/{owner}/{repo}/issues/comments/{comment_id}";
    github.faults.inject({
      route: commentRoute,
      when: "after",
      meanwhile: () => {
        comment.body = "succeeded";
      },
    });
    const read = async () => {
      const answer = await fetch(`${github.url}/repos/acme/widget/issues/comments/${comment.id}`, {
        headers: { authorization: `token ${token}` },
      });
      return ((await answer.json()) as { body: string }).body;
    };
    expect(await read()).toBe("queued");
    expect(await read()).toBe("succeeded");
    expect(github.faults.fired).toEqual([{ route: commentRoute, when: "after", status: "meanwhile" }]);
  });

  it("clear() disarms the faults a failed scenario left behind", async () => {
    github.faults.inject({ route, status: 503, when: "before", times: 5 });
    expect((await get()).status).toBe(503);
    github.faults.clear();
    expect((await get()).status).toBe(200);
  });
});
