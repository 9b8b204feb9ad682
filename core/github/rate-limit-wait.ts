/**
 * How long a GitHub client waits out a rate limit before the request fails, the one rule the App's
 * Octokit (`app/octokit.ts`) and the action's (`action/github/client.ts`) both install as
 * plugin-throttling's `onRateLimit` and `onSecondaryRateLimit`.
 *
 * GitHub: "If the retry-after response header is present, you should not retry your request until
 * after that many seconds has elapsed. [...] If your request continues to fail due to a secondary
 * rate limit, wait for an exponentially increasing amount of time between retries, and throw an
 * error after a specific number of retries" ("Rate limits for the REST API", Handle rate limit
 * errors appropriately). The installation's limits are shared by every task it runs at once
 * (5,000 requests and 500 content-creating requests an hour), so many tasks together can spend an
 * hour's budget in minutes: a task then waits for the window rather than failing. One answer asking
 * for more than `maxWaitSeconds` fails at once (a task should not sleep on a single request past its
 * own caps), and so does a request whose waits would add up past `maxTotalSeconds` (counted as its
 * retries times this `retry-after`): an hour, the longest window GitHub documents, so a request that
 * waited that long is not being throttled but refused.
 */
export interface RateLimitWait {
  /** The longest single `retry-after` waited out. */
  maxWaitSeconds: number;
  /** The longest total wait for one request, over all its retries. */
  maxTotalSeconds: number;
}

export const DEFAULT_RATE_LIMIT_WAIT: RateLimitWait = { maxWaitSeconds: 300, maxTotalSeconds: 3600 };

/** plugin-throttling's handler: `true` waits `retryAfter` seconds and sends the request again. */
export function waitOutRateLimit(
  tuning: RateLimitWait = DEFAULT_RATE_LIMIT_WAIT,
): (retryAfter: number, options: unknown, octokit: unknown, retryCount: number) => boolean {
  return (retryAfter, _options, _octokit, retryCount) =>
    retryAfter <= tuning.maxWaitSeconds && (retryCount + 1) * retryAfter <= tuning.maxTotalSeconds;
}
