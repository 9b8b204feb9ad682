import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { octokitFor } from "../helpers/octokit.ts";
import { LocalGitHub } from "../local-github/local-github.ts";

describe("local GitHub: rate limits per installation", () => {
  let github: LocalGitHub;
  const repo = { owner: "acme", repo: "widget" };

  beforeEach(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    const record = await github.createRepo("widget", { "README.md": "# widget\n" });
    github.openIssue(record, { title: "t", user: "alice" });
  });

  afterEach(async () => {
    await github?.close();
  });

  const comment = (bot: ReturnType<typeof octokitFor>, body = "hi") =>
    bot.rest.issues.createComment({ ...repo, issue_number: 1, body });

  it("tells the primary budget in x-ratelimit-* headers, 5,000 an hour", async () => {
    const bot = octokitFor(github, github.installationToken());
    const first = await bot.rest.repos.get(repo);
    const second = await bot.rest.repos.get(repo);
    expect(first.headers).toMatchObject({
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "4999",
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": "core",
    });
    expect(second.headers["x-ratelimit-remaining"]).toBe("4998");
    expect(Number(first.headers["x-ratelimit-reset"])).toBeGreaterThan(github.clock.now() / 1000);
  });

  it("answers 403 with x-ratelimit-remaining 0 past the primary limit, until the hour resets", async () => {
    github.rateLimits.configure({ requestsPerHour: 2 });
    const bot = octokitFor(github, github.installationToken());
    await bot.rest.repos.get(repo);
    await bot.rest.repos.get(repo);
    const refused = await bot.rest.repos.get(repo).then(
      () => undefined,
      (error: { status: number; message: string; response: { headers: Record<string, string> } }) => error,
    );
    expect(refused?.status).toBe(403);
    expect(refused?.message).toContain(
      `API rate limit exceeded for installation ID ${github.installation.id}.`,
    );
    expect(refused?.response.headers["x-ratelimit-remaining"]).toBe("0");
    github.clock.advance(3600_000);
    // An hour later the token has expired too: a new one, and a new window.
    const fresh = octokitFor(github, github.installationToken());
    await expect(fresh.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
  });

  it("refuses content creation past 80 a minute with a secondary limit and retry-after; reads go on", async () => {
    github.rateLimits.configure({ writesPerMinute: 2, retryAfterSeconds: 30 });
    const bot = octokitFor(github, github.installationToken());
    await comment(bot);
    await comment(bot);
    const refused = await comment(bot).then(
      () => undefined,
      (error: { status: number; message: string; response: { headers: Record<string, string> } }) => error,
    );
    expect(refused?.status).toBe(403);
    expect(refused?.message).toMatch(/You have exceeded a secondary rate limit/);
    expect(refused?.response.headers["retry-after"]).toBe("30");
    await expect(bot.rest.repos.get(repo)).resolves.toMatchObject({ status: 200 });
    expect(github.commentsOn(github.state.issue(github.state.repo("acme", "widget")!, 1)!)).toHaveLength(2);
    github.clock.advance(60_001);
    await expect(comment(bot)).resolves.toMatchObject({ status: 201 });
  });

  it("also caps content creation at 500 an hour, edits included", async () => {
    github.rateLimits.configure({ writesPerHour: 3 });
    const bot = octokitFor(github, github.installationToken());
    const { data } = await comment(bot);
    await bot.rest.issues.updateComment({ ...repo, comment_id: data.id, body: "edited" });
    github.clock.advance(10 * 60_000);
    await comment(bot);
    await expect(comment(bot)).rejects.toMatchObject({ status: 403 });
    github.clock.advance(50 * 60_000 + 1);
    await expect(comment(octokitFor(github, github.installationToken()))).resolves.toMatchObject({
      status: 201,
    });
  });

  it("counts requests and writes per installation, by route, apart from people's tokens", async () => {
    const bot = octokitFor(github, github.installationToken());
    await bot.rest.repos.get(repo);
    await comment(bot);
    await octokitFor(github, github.userToken("alice")).rest.repos.get(repo);
    expect(github.usage()).toEqual({
      requests: 2,
      writes: 1,
      limited: 0,
      notModified: 0,
      byRoute: {
        "GET /repos/{owner}/{repo}": 1,
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": 1,
      },
    });
    expect(github.rateLimits.usage("user:alice").requests).toBe(1);
  });

  it("answers the secondary limit with 429 where configured, as GitHub may (403 or 429)", async () => {
    github.rateLimits.configure({ writesPerMinute: 1, secondaryStatus: 429, retryAfterSeconds: 5 });
    const bot = octokitFor(github, github.installationToken());
    await comment(bot);
    const refused = await comment(bot).then(
      () => undefined,
      (error: { status: number; message: string; response: { headers: Record<string, string> } }) => error,
    );
    expect(refused?.status).toBe(429);
    expect(refused?.message).toContain("You have exceeded a secondary rate limit");
    expect(refused?.response.headers["retry-after"]).toBe("5");
  });

  it("counts a GraphQL mutation as content creation (not a REST request) and refuses it past the limit", async () => {
    github.rateLimits.configure({ writesPerMinute: 2 });
    const token = github.installationToken();
    const bot = octokitFor(github, token);
    await comment(bot);
    const graphql = (query: string) =>
      fetch(`${github.url}/graphql`, {
        method: "POST",
        headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
    // A mutation GitHub would refuse for its input still spends the limit: it is counted on arrival.
    const mutation = "mutation { createCommitOnBranch(input: {}) { commit { oid } } }";
    expect((await graphql(mutation)).status).toBe(200);
    expect(github.usage()).toMatchObject({ requests: 1, writes: 2 });
    expect(github.usage().byRoute["POST /graphql (mutation)"]).toBe(1);
    const refused = await graphql(mutation);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(((await refused.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    // A query is not content creation: it is answered while mutations wait.
    expect((await graphql("query { viewer { login } }")).status).toBe(200);
  });
});
