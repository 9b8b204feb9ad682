import { ProbotOctokit } from "probot";
import { DEFAULT_GITHUB_TIMEOUT_MS, timeoutFetch } from "../core/github/timeout-fetch.ts";
import { writeOncePlugin } from "../core/github/write-once.ts";

/**
 * The App's Octokit: Probot's (plugin-retry and plugin-throttling) with the rules the action's
 * client follows: write-once (`core/github/write-once.ts`; without it plugin-retry repeats a POST
 * GitHub answered with 5xx after doing the work: a second status comment, or a second workflow run
 * for one task) and a timeout on requests GitHub leaves unanswered (`core/github/timeout-fetch.ts`),
 * so one hung connection cannot hold a delivery forever.
 */
export const AppOctokit = ProbotOctokit.plugin(writeOncePlugin).defaults({
  request: { fetch: timeoutFetch(DEFAULT_GITHUB_TIMEOUT_MS) },
});
