import type { Octokit } from "@octokit/rest";
import { backoffDelayMs, sleep } from "../retry.ts";
import { firstAttemptFinder, isIdempotent } from "./first-attempt.ts";

/**
 * The rule that keeps a write from happening twice: `@octokit/plugin-retry` repeats any request
 * GitHub answered with 5xx, so every non-idempotent request (a POST that creates) goes out with
 * retries off. When such a request fails with 5xx, its first attempt's result is looked for
 * (`first-attempt.ts`); found, it is the answer; not found, the request is sent again, up to
 * `attempts` times. A create without a finder is not repeated: the error says what happened.
 */
export interface WriteOnceTuning {
  /** Tries of a create, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Injected in tests so backoff costs no time. */
  sleep?: (ms: number) => Promise<void>;
}

export const defaultWriteOnce: WriteOnceTuning = { attempts: 3, baseDelayMs: 1_000 };

type RequestOptions = Record<string, unknown> & {
  method: string;
  url: string;
  request?: Record<string, unknown>;
};

const isServerError = (error: unknown) => {
  const status = (error as { status?: number }).status;
  return typeof status === "number" && status >= 500;
};

export function installWriteOnce(octokit: Octokit, tuning: WriteOnceTuning = defaultWriteOnce): void {
  const wait = tuning.sleep ?? ((ms: number) => sleep(ms));
  octokit.hook.wrap("request", async (request, options) => {
    const opts = options as unknown as RequestOptions;
    if (isIdempotent(opts.method, opts.url)) return request(options);
    // plugin-retry reads `request.retries`: a create is never repeated blindly.
    opts.request = { ...opts.request, retries: 0 };
    const finder = firstAttemptFinder(opts.method, opts.url);
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (error) {
        if (!finder || !isServerError(error) || attempt >= tuning.attempts) throw error;
        const found = await finder(octokit.request, {
          method: opts.method,
          route: opts.url,
          params: opts,
          startedAt,
        });
        if (found !== undefined) return { status: 201, url: opts.url, headers: {}, data: found };
        await wait(backoffDelayMs(attempt, tuning.baseDelayMs, 30_000));
      }
    }
  });
}
