import { parseRetryAfter, type RetryOptions, withRetry } from "../retry.ts";

interface HttpLikeError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function headersOf(error: unknown): { get(name: string): string | null } {
  const raw = (error as HttpLikeError)?.response?.headers ?? {};
  return { get: (name) => (raw[name] === undefined ? null : String(raw[name])) };
}

/**
 * GitHub answers 502/503/504 when it is briefly unwell, and 403 or 429 with `retry-after` (or a
 * "secondary rate limit" message) when it wants the caller to slow down. Those are retried;
 * everything else (404, 422, a plain 403 for missing permission) is an answer, not a hiccup.
 */
export function isRetryableGitHubError(error: unknown): boolean {
  const status = (error as HttpLikeError)?.status;
  if (status === 500 || status === 502 || status === 503 || status === 504) return true;
  if (status === 403 || status === 429) {
    const headers = headersOf(error);
    return (
      headers.get("retry-after") !== null ||
      headers.get("x-ratelimit-remaining") === "0" ||
      /secondary rate limit|abuse detection/i.test((error as HttpLikeError).message ?? "")
    );
  }
  return false;
}

/** The wait GitHub asked for: `retry-after`, else the primary limit's reset time. */
export function gitHubRetryAfterMs(error: unknown): number | undefined {
  const headers = headersOf(error);
  const after = parseRetryAfter(headers);
  if (after !== undefined) return after;
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.get("x-ratelimit-remaining") === "0" && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - Date.now());
  }
  // Secondary limit without a header: GitHub's guidance is to wait at least a minute.
  if (/secondary rate limit/i.test((error as HttpLikeError)?.message ?? "")) return 60_000;
  return undefined;
}

export type RetryTuning = Pick<RetryOptions, "attempts" | "baseDelayMs" | "maxDelayMs" | "sleep" | "onRetry">;

export const defaultGitHubRetry: RetryTuning = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 120_000 };

/** The GitHub flavour of the one retry helper, for REST calls. */
export function retryGitHub<T>(work: () => Promise<T>, tuning: RetryTuning = defaultGitHubRetry): Promise<T> {
  return withRetry(() => work(), {
    ...tuning,
    isRetryable: isRetryableGitHubError,
    retryAfterMs: gitHubRetryAfterMs,
  });
}

/** The same helper for git over HTTPS (a push answered with 502), with the caller's classifier. */
export function retryGit<T>(
  work: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  tuning: RetryTuning = defaultGitHubRetry,
): Promise<T> {
  return withRetry(() => work(), { ...tuning, isRetryable });
}
