import type { Octokit } from "@octokit/rest";

/**
 * GitHub can answer 5xx after it has done the work (its frontend timed out while the backend wrote),
 * so a POST that failed with 5xx may have created a comment, a pull request or a review. Before a
 * create is sent again, its first attempt's result is looked for, the way a person would check the
 * thread before posting twice. One finder per create the action makes; a POST without a finder is
 * never repeated after a 5xx.
 */
export interface WriteRequest {
  method: string;
  /** The route template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  route: string;
  params: Record<string, unknown>;
  /** When the first attempt was sent (ms since epoch, the runner's clock). */
  startedAt: number;
}

type Request = Octokit["request"];
export type FirstAttemptFinder = (request: Request, write: WriteRequest) => Promise<unknown | undefined>;

/** Clocks differ between a runner and GitHub; a generous margin costs only a longer list. */
const CLOCK_SKEW_MS = 5 * 60_000;

interface Authored {
  user?: { type?: string } | null;
}
const byABot = (item: Authored) => item.user?.type === "Bot";

const findComment: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, issue_number, body } = write.params;
  const since = new Date(write.startedAt - CLOCK_SKEW_MS).toISOString();
  const { data } = await request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: owner as string,
    repo: repo as string,
    issue_number: issue_number as number,
    since,
    per_page: 100,
  });
  return data.find((comment) => comment.body === body && byABot(comment));
};

const findPullRequest: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, head, base } = write.params as Record<string, string>;
  const { data } = await request("GET /repos/{owner}/{repo}/pulls", {
    owner: owner!,
    repo: repo!,
    head: head!.includes(":") ? head! : `${owner}:${head}`,
    base: base!,
    state: "open",
  });
  return data[0];
};

const findReview: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, pull_number, body, commit_id } = write.params;
  const { data } = await request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner: owner as string,
    repo: repo as string,
    pull_number: pull_number as number,
    per_page: 100,
  });
  return data.find(
    (review) =>
      review.body === body && byABot(review) && (commit_id === undefined || review.commit_id === commit_id),
  );
};

const FINDERS: Record<string, FirstAttemptFinder> = {
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": findComment,
  "POST /repos/{owner}/{repo}/pulls": findPullRequest,
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": findReview,
};

export function firstAttemptFinder(method: string, route: string): FirstAttemptFinder | undefined {
  return FINDERS[`${method} ${route}`];
}

/**
 * POSTs whose repetition changes nothing: adding labels is a set union, and GitHub answers an
 * existing reaction with 200 instead of adding another (REST "Add labels to an issue", "Create
 * reaction for an issue": "A response with an HTTP 200 status means that you already added the reaction").
 */
const IDEMPOTENT_POSTS = new Set([
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions",
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
]);

/** GET, HEAD, PUT, PATCH and DELETE set a state, so sending them twice does no harm; POST creates. */
export function isIdempotent(method: string, route: string): boolean {
  return method !== "POST" || IDEMPOTENT_POSTS.has(`${method} ${route}`);
}
