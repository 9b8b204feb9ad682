import { type RetryOptions, withRetry } from "../../core/retry.ts";

export type GitRetryTuning = Pick<
  RetryOptions,
  "attempts" | "baseDelayMs" | "maxDelayMs" | "sleep" | "onRetry"
>;

export const defaultGitRetry: GitRetryTuning = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 120_000 };

/**
 * The one retry helper for git over HTTPS (a push answered with 502), with the caller's classifier.
 * REST calls retry inside the client (`client.ts`: plugin-retry, plugin-throttling, `write-once.ts`).
 */
export function retryGit<T>(
  work: () => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  tuning: GitRetryTuning = defaultGitRetry,
): Promise<T> {
  return withRetry(() => work(), { ...tuning, isRetryable });
}
