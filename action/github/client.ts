import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { DEFAULT_RATE_LIMIT_WAIT, waitOutRateLimit } from "../../core/github/rate-limit-wait.ts";
import { DEFAULT_GITHUB_TIMEOUT_MS, timeoutFetch } from "../../core/github/timeout-fetch.ts";
import { defaultWriteOnce, installWriteOnce, type WriteOnceTuning } from "../../core/github/write-once.ts";

/**
 * The action's Octokit has the plugins Probot gives the App: `@octokit/plugin-throttling` (GitHub's
 * pacing of writes, and waiting out primary and secondary rate limits with `retry-after`) and
 * `@octokit/plugin-retry` (5xx and network errors), with creates kept out of blind retries
 * (`core/github/write-once.ts`, the rule the App's client follows too).
 */
const ActionOctokit = Octokit.plugin(throttling, retry);
export type GitHub = InstanceType<typeof Octokit>;

export interface RetryTuning {
  /** Retries of an idempotent request after 5xx (plugin-retry waits retryCount² × base). */
  retries: number;
  retryAfterBaseMs: number;
  /** A rate limit whose wait is longer than this fails the request instead of stalling the task. */
  maxRateLimitWaitSeconds: number;
  /** A request whose rate-limit waits would add up past this fails (`core/github/rate-limit-wait.ts`). */
  maxRateLimitTotalSeconds: number;
  /** Space writes as GitHub asks (1 s, 3 s for notifying ones); tests turn it off. */
  paceWrites: boolean;
  writeOnce: WriteOnceTuning;
  /** A request GitHub leaves unanswered this long is abandoned (and retried as its kind allows). */
  requestTimeoutMs: number;
  /**
   * plugin-throttling's limiter groups (`write`, `notifications`, ...) in place of its own; the
   * budget simulation passes groups that space writes as GitHub asks on its faster clock.
   */
  limiterGroups?: Record<string, unknown>;
}

export const defaultRetry: RetryTuning = {
  retries: 3,
  retryAfterBaseMs: 1_000,
  maxRateLimitWaitSeconds: DEFAULT_RATE_LIMIT_WAIT.maxWaitSeconds,
  maxRateLimitTotalSeconds: DEFAULT_RATE_LIMIT_WAIT.maxTotalSeconds,
  paceWrites: true,
  writeOnce: defaultWriteOnce,
  requestTimeoutMs: DEFAULT_GITHUB_TIMEOUT_MS,
};

export interface GitHubClientOptions {
  token: string;
  /** `GITHUB_API_URL` (GitHub Enterprise Server: `https://ghe.example.com/api/v3`). */
  baseUrl?: string;
  retry?: Partial<RetryTuning>;
}

/** Wait out a rate limit within the caps (the rule the App's Octokit follows too). */
const waitOut = (tuning: RetryTuning) =>
  waitOutRateLimit({
    maxWaitSeconds: tuning.maxRateLimitWaitSeconds,
    maxTotalSeconds: tuning.maxRateLimitTotalSeconds,
  });

/** Limiter groups without GitHub's spacing between writes (the plugin's own groups pace them). */
export function unpacedGroups(): Record<string, unknown> {
  const passThrough = () => ({
    key: () => ({ schedule: (_o: unknown, fn: () => Promise<unknown>) => fn() }),
  });
  return { write: passThrough(), notifications: passThrough(), search: passThrough() };
}

export function createGitHubClient(options: GitHubClientOptions): GitHub {
  const tuning = { ...defaultRetry, ...options.retry };
  const octokit = new ActionOctokit({
    auth: options.token,
    baseUrl: options.baseUrl ?? "https://api.github.com",
    userAgent: "inhouse-action",
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: { fetch: timeoutFetch(tuning.requestTimeoutMs) },
    retry: { retries: tuning.retries, retryAfterBaseValue: tuning.retryAfterBaseMs },
    throttle: {
      onRateLimit: waitOut(tuning),
      onSecondaryRateLimit: waitOut(tuning),
      retryAfterBaseValue: tuning.retryAfterBaseMs,
      ...(tuning.paceWrites ? (tuning.limiterGroups ?? {}) : unpacedGroups()),
    },
  });
  installWriteOnce(octokit, tuning.writeOnce);
  return octokit;
}
