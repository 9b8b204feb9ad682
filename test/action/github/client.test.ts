import nock from "nock";
import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../action/github/client.ts";
import { noWaitRetry } from "./fixtures.ts";

const API = "https://api.github.com";
const client = (maxRateLimitWaitSeconds = 300) =>
  createGitHubClient({ token: "ghs_test", retry: { ...noWaitRetry, maxRateLimitWaitSeconds } });
const bot = { login: "inhouse[bot]", type: "Bot" };

describe("GitHub client: retries and rate limits (plugin-retry, plugin-throttling)", () => {
  it("retries a GET GitHub answered with 502 and returns the answer that follows", async () => {
    const scope = nock(API)
      .get("/repos/o/r")
      .reply(502, "bad gateway")
      .get("/repos/o/r")
      .reply(200, { default_branch: "main" });
    const { data } = await client().rest.repos.get({ owner: "o", repo: "r" });
    expect(data.default_branch).toBe("main");
    expect(scope.isDone()).toBe(true);
  });

  it("waits out a secondary rate limit within the cap, and fails at once when retry-after is beyond it", async () => {
    const limited = { message: "You have exceeded a secondary rate limit." };
    const scope = nock(API)
      .post("/repos/o/r/issues/1/comments", { body: "hi" })
      .reply(403, limited, { "retry-after": "7" })
      .post("/repos/o/r/issues/1/comments", { body: "hi" })
      .reply(201, { id: 5 });
    const { data } = await client().rest.issues.createComment({
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "hi",
    });
    expect(data.id).toBe(5);
    expect(scope.isDone()).toBe(true);

    const refused = nock(API)
      .post("/repos/o/r/issues/1/comments")
      .reply(403, limited, { "retry-after": "3600" });
    await expect(
      client(60).rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "hi" }),
    ).rejects.toMatchObject({ status: 403 });
    expect(refused.isDone()).toBe(true);
  });

  it("does not retry a plain 403 or a 422: those are answers", async () => {
    const scope = nock(API)
      .get("/repos/o/r")
      .reply(403, { message: "Resource not accessible by integration" })
      .post("/repos/o/r/pulls")
      .reply(422, { message: "Validation Failed" });
    await expect(client().rest.repos.get({ owner: "o", repo: "r" })).rejects.toMatchObject({ status: 403 });
    await expect(
      client().rest.pulls.create({ owner: "o", repo: "r", head: "x", base: "main", title: "t" }),
    ).rejects.toMatchObject({ status: 422 });
    expect(scope.isDone()).toBe(true);
  });
});

describe("GitHub client: a create is never sent twice", () => {
  it("finds the comment GitHub made before answering 502, and does not post it again", async () => {
    const scope = nock(API)
      .post("/repos/o/r/issues/1/comments", { body: "status" })
      .reply(502, "bad gateway")
      .get("/repos/o/r/issues/1/comments")
      .query((q) => typeof q.since === "string")
      .reply(200, [
        { id: 3, body: "status", user: { login: "alice", type: "User" } },
        { id: 4, body: "status", user: bot },
      ]);
    const { data } = await client().rest.issues.createComment({
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "status",
    });
    expect(data.id).toBe(4);
    expect(scope.isDone()).toBe(true);
  });

  it("posts again when the first attempt left nothing, and finds an opened PR by its head", async () => {
    const scope = nock(API)
      .post("/repos/o/r/issues/1/comments")
      .reply(503, "unavailable")
      .get("/repos/o/r/issues/1/comments")
      .query(true)
      .reply(200, [])
      .post("/repos/o/r/issues/1/comments")
      .reply(201, { id: 9 })
      .post("/repos/o/r/pulls")
      .reply(502, "bad gateway")
      .get("/repos/o/r/pulls")
      .query({ head: "o:agent/x", base: "main", state: "open" })
      .reply(200, [{ number: 12 }]);
    const gh = client();
    expect(
      (await gh.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "x" })).data.id,
    ).toBe(9);
    const opened = await gh.rest.pulls.create({
      owner: "o",
      repo: "r",
      head: "agent/x",
      base: "main",
      title: "t",
    });
    expect(opened.data.number).toBe(12);
    expect(scope.isDone()).toBe(true);
  });

  it("does not repeat a create it cannot look up, but repeats an idempotent POST (labels)", async () => {
    const scope = nock(API)
      .post("/repos/o/r/issues")
      .reply(502, "bad gateway")
      .post("/repos/o/r/issues/1/labels")
      .reply(502, "bad gateway")
      .post("/repos/o/r/issues/1/labels")
      .reply(200, []);
    const gh = client();
    await expect(gh.rest.issues.create({ owner: "o", repo: "r", title: "t" })).rejects.toMatchObject({
      status: 502,
    });
    await gh.rest.issues.addLabels({ owner: "o", repo: "r", issue_number: 1, labels: ["agent"] });
    expect(scope.isDone()).toBe(true);
  });
});
