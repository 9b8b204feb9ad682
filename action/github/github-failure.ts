/**
 * A GitHub error that ended a task, in words that say what happened and what to do. Rate limits are
 * the installation's, shared by every task it runs ("Rate limits for the REST API": 5,000 requests
 * an hour per installation; secondary limits of about 80 content-creating requests a minute and 500
 * an hour), so the advice is to wait, or to run fewer tasks at once, not to fix the repository.
 */
interface GitHubErrorShape {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | undefined> };
}

function minutes(seconds: number): string {
  const m = Math.max(1, Math.ceil(seconds / 60));
  return m === 1 ? "a minute" : `${m} minutes`;
}

export function explainGitHubError(error: unknown): string | undefined {
  const e = error as GitHubErrorShape;
  if (typeof e?.status !== "number" || typeof e.message !== "string") return undefined;
  const headers = e.response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  const wait =
    Number.isFinite(retryAfter) && retryAfter > 0 ? ` It asked to wait ${minutes(retryAfter)}.` : "";
  const shared =
    "The limit is the App installation's, shared by every task it runs at once: run the task again after that wait, or start fewer tasks at a time.";
  if ((e.status === 403 || e.status === 429) && /secondary rate limit/i.test(e.message)) {
    return `GitHub's secondary rate limit (content creation) refused a request (${e.status}: ${e.message}).${wait} ${shared}`;
  }
  if ((e.status === 403 || e.status === 429) && headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    const until = Number.isFinite(reset) ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return `GitHub's rate limit for this installation is spent${until} (${e.status}: ${e.message}). ${shared}`;
  }
  if (e.name === "TimeoutError" || /aborted due to timeout/.test(e.message)) {
    return `GitHub did not answer a request within the action's github-timeout-seconds, even when it was tried again (${e.message}). Check githubstatus.com or the network between the runner and GitHub, then run the task again.`;
  }
  return undefined;
}
