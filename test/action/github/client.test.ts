import nock from "nock";
import { describe, expect, it } from "vitest";
import { createGitHubClient } from "../../../action/github/client.ts";

const API = "https://api.github.com";

function client(delays: number[]) {
  return createGitHubClient({
    token: "ghs_test",
    retry: {
      attempts: 3,
      baseDelayMs: 5,
      maxDelayMs: 120_000,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
  });
}

describe("GitHub client retries", () => {
  it("retries a 502 and returns the answer that follows", async () => {
    const scope = nock(API)
      .get("/repos/o/r")
      .reply(502, "bad gateway")
      .get("/repos/o/r")
      .reply(200, { default_branch: "main" });
    const delays: number[] = [];
    const { data } = await client(delays).rest.repos.get({ owner: "o", repo: "r" });
    expect(data.default_branch).toBe("main");
    expect(delays).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("honours retry-after on a 403 secondary rate limit", async () => {
    const scope = nock(API)
      .post("/repos/o/r/issues/1/comments", { body: "hi" })
      .reply(403, { message: "You have exceeded a secondary rate limit." }, { "retry-after": "7" })
      .post("/repos/o/r/issues/1/comments", { body: "hi" })
      .reply(201, { id: 5 });
    const delays: number[] = [];
    const { data } = await client(delays).rest.issues.createComment({
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "hi",
    });
    expect(data.id).toBe(5);
    expect(delays).toEqual([7000]);
    expect(scope.isDone()).toBe(true);
  });

  it("does not retry a plain 403 or a 404: those are answers", async () => {
    const scope = nock(API)
      .get("/repos/o/r")
      .reply(403, { message: "Resource not accessible by integration" });
    const delays: number[] = [];
    await expect(client(delays).rest.repos.get({ owner: "o", repo: "r" })).rejects.toMatchObject({
      status: 403,
    });
    expect(delays).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });
});
