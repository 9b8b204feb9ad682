import { findDispatchedRun } from "./dispatched-run.ts";
import type { GitHubRequest } from "./octokit-shape.ts";

/**
 * GitHub can answer 5xx after it has done the work (its frontend timed out while the backend wrote),
 * so a POST that failed with 5xx may have created a comment, a pull request, a review or a workflow
 * run. Before a create is sent again, its first attempt's result is looked for, the way a person
 * would check the thread before posting twice. One finder per create the App or the action makes; a
 * POST without a finder is never repeated after a 5xx.
 */
export interface WriteRequest {
  method: string;
  /** The route template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  route: string;
  params: Record<string, unknown>;
  /** When the first attempt was sent (ms since epoch, this machine's clock). */
  startedAt: number;
}

/** What the first attempt left: the answer to give in its place, or nothing (send again). */
export type FirstAttempt =
  | { found: true; status: number; data: unknown }
  | { found: false }
  /** The finder cannot tell whether the first attempt worked: sending again might duplicate it. */
  | { found: "unknown"; why: string };

export type FirstAttemptFinder = (request: GitHubRequest, write: WriteRequest) => Promise<FirstAttempt>;

/** Clocks differ between this machine and GitHub; a generous margin costs only a longer list. */
export const CLOCK_SKEW_MS = 5 * 60_000;

interface Authored {
  user?: { type?: string } | null;
}
const byABot = (item: Authored) => item.user?.type === "Bot";
const created = (data: unknown): FirstAttempt =>
  data === undefined ? { found: false } : { found: true, status: 201, data };

const findComment: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, issue_number, body } = write.params;
  const since = new Date(write.startedAt - CLOCK_SKEW_MS).toISOString();
  const { data } = await request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner,
    repo,
    issue_number,
    since,
    per_page: 100,
  });
  return created(
    (data as Array<Authored & { body?: string }>).find((comment) => comment.body === body && byABot(comment)),
  );
};

const findPullRequest: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, head, base } = write.params as Record<string, string>;
  const { data } = await request("GET /repos/{owner}/{repo}/pulls", {
    owner,
    repo,
    head: head!.includes(":") ? head : `${owner}:${head}`,
    base,
    state: "open",
  });
  return created((data as unknown[])[0]);
};

const findReview: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, pull_number, body, commit_id } = write.params;
  const { data } = await request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
    owner,
    repo,
    pull_number,
    per_page: 100,
  });
  return created(
    (data as Array<Authored & { body?: string; commit_id?: string }>).find(
      (review) =>
        review.body === body && byABot(review) && (commit_id === undefined || review.commit_id === commit_id),
    ),
  );
};

/**
 * A workflow dispatch creates a run, found by the run-name tag that names the task's status comment
 * (`core/status-marker.ts`). A task without a status comment, or a workflow whose runs carry no tag,
 * cannot be told apart from another dispatch: then the dispatch is not sent again.
 */
const findWorkflowRun: FirstAttemptFinder = async (request, write) => {
  const { owner, repo, workflow_id, inputs, return_run_details } = write.params as {
    owner: string;
    repo: string;
    workflow_id: string | number;
    inputs?: { task?: string };
    return_run_details?: boolean;
  };
  const statusCommentId = statusCommentOf(inputs?.task);
  if (statusCommentId === undefined) {
    return { found: "unknown", why: "the dispatched task names no status comment to find its run by" };
  }
  const since = new Date(write.startedAt - CLOCK_SKEW_MS);
  const lookup = await findDispatchedRun(request, { owner, repo, workflow_id }, statusCommentId, since);
  if (lookup.kind === "untagged") {
    return { found: "unknown", why: "the workflow's runs carry no inhouse run-name tag" };
  }
  if (lookup.kind === "none") return { found: false };
  const run = lookup.run;
  return return_run_details
    ? {
        found: true,
        status: 200,
        data: { workflow_run_id: run.id, run_url: run.url, html_url: run.html_url },
      }
    : { found: true, status: 204, data: undefined };
};

function statusCommentOf(task: string | undefined): number | undefined {
  try {
    const id = (JSON.parse(task ?? "{}") as { statusCommentId?: unknown }).statusCommentId;
    return typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

const FINDERS: Record<string, FirstAttemptFinder> = {
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": findComment,
  "POST /repos/{owner}/{repo}/pulls": findPullRequest,
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": findReview,
  "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": findWorkflowRun,
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
