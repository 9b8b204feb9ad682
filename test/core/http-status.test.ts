import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { githubMessage, httpStatus } from "../../core/github/http-status.ts";

const request = { method: "GET" as const, url: "https://api.github.com/repos/o/r", headers: {} };

/** Octokit's RequestError as a failed call throws it: the status, and GitHub's JSON body as `response.data`. */
function requestError(status: number, data: unknown): RequestError {
  return new RequestError("GitHub said no", status, {
    request,
    response: { status, url: request.url, headers: {}, data },
  });
}

describe("httpStatus", () => {
  it.each([
    ["a RequestError", requestError(404, { message: "Not Found" }), 404],
    ["a 5xx RequestError", requestError(502, "Bad gateway"), 502],
    ["an error with a numeric status", Object.assign(new Error("x"), { status: 422 }), 422],
    ["an error whose status is a string", Object.assign(new Error("x"), { status: "404" }), undefined],
    ["a plain Error", new Error("socket hang up"), undefined],
    ["null", null, undefined],
    ["a string", "boom", undefined],
  ])("%s", (_what, error, expected) => {
    expect(httpStatus(error)).toBe(expected);
  });
});

describe("githubMessage", () => {
  it("prefers GitHub's own message from the response body", () => {
    expect(githubMessage(requestError(403, { message: "Resource not accessible by integration" }))).toBe(
      "Resource not accessible by integration",
    );
  });
  it("falls back to the error's message, then to the value itself", () => {
    expect(githubMessage(requestError(500, "<html>"))).toBe("GitHub said no");
    expect(githubMessage(new Error("socket hang up"))).toBe("socket hang up");
    expect(githubMessage("boom")).toBe("boom");
  });
});
