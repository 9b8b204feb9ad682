/** The one retry helper: every call that may be retried (model requests, GitHub calls) goes through it. */
import { backoffDelayMs, sleep } from "./backoff.ts";

export { backoffDelayMs, sleep };

export interface RetryOptions {
  /** Total tries including the first; 3 means at most two retries. */
  attempts: number;
  /** First backoff; doubles each retry, with jitter, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs?: number;
  isRetryable: (error: unknown) => boolean;
  /** The server's own wait (`retry-after`), which wins over the computed backoff when present. */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
  /** Injected in tests so backoff is observable without waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= options.attempts || !options.isRetryable(error) || options.signal?.aborted) throw error;
      const serverWait = options.retryAfterMs?.(error);
      const delayMs =
        serverWait !== undefined
          ? Math.min(serverWait, maxDelayMs)
          : backoffDelayMs(attempt, options.baseDelayMs, maxDelayMs);
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, options.signal);
    }
  }
}

/** Reads `retry-after` (seconds or an HTTP date) and `retry-after-ms`; undefined when absent or unparseable. */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
