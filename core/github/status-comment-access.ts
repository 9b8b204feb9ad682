import type { StatusCommentAccess } from "../status-state.ts";
import { httpStatus } from "./http-status.ts";

/**
 * The status comment's compare-before-write reads (core/status-state.ts) made as conditional
 * requests, for the App and the action alike. GitHub, "Best practices for using the REST API", Use
 * conditional requests if appropriate
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate):
 * "Most endpoints return an etag header … You can use the values of these headers to make
 * conditional GET requests. … If the data has not changed, you will receive a 304 Not Modified
 * response." and "Making a conditional request does not count against your primary rate limit if
 * a 304 response is returned and the request was made while correctly authorized with an
 * Authorization header."
 *
 * The writer keeps the ETag of the last answer it had for the comment (its own PATCH or POST, or a
 * GET) with the body that answer carried, and sends it as `If-None-Match`. 304: nobody changed the
 * comment since, so the body it knows is the comment's, and the read cost nothing. 200: someone
 * did (the App's stop, the runner's phase): the fresh body is what the move is judged on. An ETag
 * that never matches (none sent, or a proxy that drops it) only costs the read it would have cost
 * without this.
 */

/** The comment as one answer showed it: its ETag and its body. */
export interface KnownComment {
  etag: string;
  body: string;
}

/** What the App's and the action's Octokit both offer: `request` with the answer's headers. */
export type CommentRequest = (
  route: string,
  params: Record<string, unknown>,
) => Promise<{ data: unknown; headers: Record<string, unknown> }>;

export interface CommentRef {
  owner: string;
  repo: string;
  comment_id: number;
}

/** The comment an answer carried (a comment's JSON with its `etag` header), if it had an ETag. */
export function knownFrom(answer: {
  data: unknown;
  headers: Record<string, unknown>;
}): KnownComment | undefined {
  const etag = answer.headers.etag;
  if (typeof etag !== "string" || etag === "") return undefined;
  return { etag, body: (answer.data as { body?: string | null }).body ?? "" };
}

/**
 * One status comment read and written through `request`, remembering what each answer showed.
 * `known` is what the writer learnt before (the App's own POST that created the comment).
 */
export class ConditionalStatusComment implements StatusCommentAccess {
  constructor(
    private readonly request: CommentRequest,
    private readonly comment: CommentRef,
    private known?: KnownComment,
  ) {}

  /** What the last answer showed (kept by a writer that edits the comment again later). */
  get lastKnown(): KnownComment | undefined {
    return this.known;
  }

  async read(): Promise<string> {
    const known = this.known;
    try {
      const answer = await this.request("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        ...this.comment,
        ...(known ? { headers: { "if-none-match": known.etag } } : {}),
      });
      this.known = knownFrom(answer);
      return (answer.data as { body?: string | null }).body ?? "";
    } catch (error) {
      // Octokit throws on 304 ("Not modified"): the comment is as the kept answer showed it.
      if (httpStatus(error) === 304 && known) return known.body;
      this.known = undefined;
      throw error;
    }
  }

  async write(body: string): Promise<void> {
    this.known = undefined;
    const answer = await this.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
      ...this.comment,
      body,
    });
    this.known = knownFrom(answer);
  }
}
