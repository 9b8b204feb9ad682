import { createHash } from "node:crypto";
import type { Answer } from "./router.ts";

/**
 * GitHub's conditional requests. "Best practices for using the REST API", Use conditional requests
 * if appropriate
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate):
 * "Most endpoints return an etag header … You can use the values of these headers to make
 * conditional GET requests. … If the data has not changed, you will receive a 304 Not Modified
 * response." and "Making a conditional request does not count against your primary rate limit if a
 * 304 response is returned and the request was made while correctly authorized with an
 * Authorization header." (the counting is `RateLimits.notModified`).
 *
 * Here every JSON answer of 2xx carries a weak ETag (`W/"<hash>"`, the form api.github.com sends)
 * computed from the representation, so it changes with any edit (the body, `updated_at`) and a
 * write's answer carries the ETag a GET of the same resource would (GitHub's PATCH answers carry
 * one too). A GET whose `If-None-Match` lists the current ETag (or `*`) is answered 304 with that
 * ETag and no body, as RFC 9110 §13.1.2 and §15.4.5 say ("The server generating a 304 response MUST
 * generate … ETag"; a 304 "cannot contain content"); the comparison is weak, so `W/` is ignored.
 */

export function etagOf(body: unknown): string {
  return `W/"${createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32)}"`;
}

/** The answer with its ETag (only JSON answers of 2xx have one). */
export function withEtag(answer: Answer): Answer {
  if (answer.status < 200 || answer.status > 299 || answer.raw || answer.body === undefined) return answer;
  return { ...answer, headers: { ...answer.headers, etag: etagOf(answer.body) } };
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/** Whether `If-None-Match` (a list of ETags, or `*`) matches `etag`, by the weak comparison. */
export function noneMatchHits(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => opaque(tag) === opaque(etag));
}

/** 304 for a GET that already holds the current representation, else `undefined`. */
export function notModified(
  method: string,
  ifNoneMatch: string | undefined,
  answer: Answer,
): Answer | undefined {
  const etag = answer.headers?.etag;
  if (method !== "GET" || etag === undefined || !noneMatchHits(ifNoneMatch, etag)) return undefined;
  return { status: 304, body: undefined, headers: { ...answer.headers, etag } };
}
