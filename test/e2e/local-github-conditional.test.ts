import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { octokitFor } from "./helpers/octokit.ts";
import { LocalGitHub } from "./local-github/local-github.ts";

/**
 * The local GitHub answers conditional GETs as GitHub does (docs/github-rules.md, "Rate limits";
 * test/e2e/local-github/conditional-requests.ts cites the rules): an ETag on every JSON answer, 304
 * with no body when `If-None-Match` holds the current one, a new ETag after any edit, and a 304 made
 * with an Authorization header not counted against the primary rate limit.
 */
describe("local GitHub: conditional requests", () => {
  let github: LocalGitHub;
  let bot: Octokit;
  let commentUrl: string;
  let commentId: number;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    await github.createRepo("widget", { "README.md": "# widget\n" });
    bot = octokitFor(github, github.installationToken());
    const issue = await bot.rest.issues.create({ owner: "acme", repo: "widget", title: "status here" });
    const { data } = await bot.rest.issues.createComment({
      owner: "acme",
      repo: "widget",
      issue_number: issue.data.number,
      body: "first",
    });
    commentId = data.id;
    commentUrl = `${github.url}/repos/acme/widget/issues/comments/${data.id}`;
  });

  afterAll(async () => {
    await github?.close();
  });

  const get = (headers: Record<string, string> = {}, token = github.installationToken()) =>
    fetch(commentUrl, { headers: { authorization: `token ${token}`, ...headers } });

  it("answers 304 with the ETag and no body when If-None-Match holds the current ETag, and does not count it", async () => {
    const first = await get();
    const etag = first.headers.get("etag");
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    expect(((await first.json()) as { body: string }).body).toBe("first");

    const before = structuredClone(github.usage());
    const again = await get({ "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
    const after = github.usage();
    expect(after.requests).toBe(before.requests);
    expect(after.notModified).toBe(before.notModified + 1);
    expect(Number(again.headers.get("x-ratelimit-used"))).toBe(Number(first.headers.get("x-ratelimit-used")));
  });

  it("matches by the weak comparison, in a list, and for *", async () => {
    const etag = (await get()).headers.get("etag")!;
    const strong = etag.replace(/^W\//, "");
    expect((await get({ "if-none-match": strong })).status).toBe(304);
    expect((await get({ "if-none-match": `W/"other", ${etag}` })).status).toBe(304);
    expect((await get({ "if-none-match": "*" })).status).toBe(304);
    expect((await get({ "if-none-match": 'W/"other"' })).status).toBe(200);
  });

  it("gives an edited comment a new ETag: the edit's answer carries the one a GET then has, and the old one gets 200 and the new body", async () => {
    const old = (await get()).headers.get("etag")!;
    const edited = await bot.rest.issues.updateComment({
      owner: "acme",
      repo: "widget",
      comment_id: commentId,
      body: "second",
    });
    const fresh = edited.headers.etag;
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);

    const before = structuredClone(github.usage());
    const stale = await get({ "if-none-match": old });
    expect(stale.status).toBe(200);
    expect(stale.headers.get("etag")).toBe(fresh);
    expect(((await stale.json()) as { body: string }).body).toBe("second");
    expect(github.usage().requests).toBe(before.requests + 1);
    expect((await get({ "if-none-match": fresh! })).status).toBe(304);
  });

  it("answers no 304 to a write, nor to a GET without a valid token", async () => {
    const etag = (await get()).headers.get("etag")!;
    const patch = await fetch(commentUrl, {
      method: "PATCH",
      headers: {
        authorization: `token ${github.installationToken()}`,
        "if-none-match": etag,
        "content-type": "application/json",
      },
      body: JSON.stringify({ body: "third" }),
    });
    expect(patch.status).toBe(200);
    const current = (await get()).headers.get("etag")!;
    expect((await get({ "if-none-match": current }, "not-a-token")).status).toBe(401);
  });
});
