import { ProbotOctokit } from "probot";
import { waitOutRateLimit } from "../core/github/rate-limit-wait.ts";
import { DEFAULT_GITHUB_TIMEOUT_MS, timeoutFetch } from "../core/github/timeout-fetch.ts";
import { writeOncePlugin } from "../core/github/write-once.ts";

/**
 * The App's Octokit: Probot's (plugin-retry and plugin-throttling) with the rules the action's
 * client follows: write-once (`core/github/write-once.ts`; without it plugin-retry repeats a POST
 * GitHub answered with 5xx after doing the work: a second status comment, or a second workflow run
 * for one task) and a timeout on requests GitHub leaves unanswered (`core/github/timeout-fetch.ts`),
 * so one hung connection cannot hold a delivery forever.
 */
export const AppOctokit = ProbotOctokit.plugin(writeOncePlugin).defaults(
  // A function, not an object: Probot merges its own throttle options over object defaults, and
  // its `onSecondaryRateLimit` never retries, so a burst of tasks in one installation would lose
  // the App's writes (a status comment, a dispatch) to GitHub's content-creation limit. Rate limits
  // are waited out as the action waits them out (`core/github/rate-limit-wait.ts`).
  (options: Record<string, unknown>) => ({
    ...options,
    request: { fetch: timeoutFetch(DEFAULT_GITHUB_TIMEOUT_MS), ...(options.request as object) },
    throttle: {
      ...(options.throttle as object),
      onRateLimit: waitOutRateLimit(),
      onSecondaryRateLimit: waitOutRateLimit(),
    },
  }),
);
