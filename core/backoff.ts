/** Waiting between tries: the one backoff both the App and the action use. */

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  const exponential = baseDelayMs * 2 ** (retry - 1);
  // Full jitter in the upper half keeps retries from many runners from arriving together.
  return Math.min(maxDelayMs, exponential / 2 + Math.random() * (exponential / 2));
}
