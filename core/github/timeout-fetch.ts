/**
 * A fetch for Octokit that gives up on a request GitHub does not answer. Octokit sets no timeout of
 * its own, so one hung connection (a proxy, a network fault) would hold a task until the job's
 * timeout-minutes. GitHub ends requests that take longer than 10 seconds to process ("Troubleshooting
 * the REST API", "Timeouts"), so a request silent for far longer is dead. The abort reaches Octokit
 * as a 500 (`@octokit/request` maps an AbortError to status 500), which plugin-retry repeats when the
 * request is idempotent and the write-once rule looks up before repeating when it creates.
 */
export function timeoutFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

/** How long a GitHub request may go unanswered by default (30 s: three times GitHub's own limit). */
export const DEFAULT_GITHUB_TIMEOUT_MS = 30_000;
