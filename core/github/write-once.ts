import { backoffDelayMs, sleep } from "../backoff.ts";
import { firstAttemptFinder, isIdempotent } from "./first-attempt.ts";
import { httpStatus } from "./http-status.ts";
import type { OctokitShape, RequestOptions } from "./octokit-shape.ts";

/**
 * The rule that keeps a write from happening twice, on the App's Octokit and the action's alike:
 * `@octokit/plugin-retry` repeats any request GitHub answered with 5xx, so every non-idempotent
 * request (a POST that creates) goes out with retries off. When such a request fails with 5xx, the
 * wait that a retry would have waited passes, then its first attempt's result is looked for
 * (`first-attempt.ts`); found, it is the answer; not found, the request is sent again, up to
 * `attempts` times. A create without a finder, or whose finder cannot tell, is not repeated: the
 * error says what happened.
 */
export interface WriteOnceTuning {
  /** Tries of a create, the first included. */
  attempts: number;
  baseDelayMs: number;
  /** Injected in tests so backoff costs no time. */
  sleep?: (ms: number) => Promise<void>;
}

export const defaultWriteOnce: WriteOnceTuning = { attempts: 3, baseDelayMs: 1_000 };

const isServerError = (error: unknown) => (httpStatus(error) ?? 0) >= 500;

export function installWriteOnce(octokit: OctokitShape, tuning: WriteOnceTuning = defaultWriteOnce): void {
  const wait = tuning.sleep ?? ((ms: number) => sleep(ms));
  octokit.hook.wrap("request", async (request, options) => {
    const send = request as (options: RequestOptions) => Promise<unknown>;
    const opts = options as RequestOptions;
    if (isIdempotent(opts.method, opts.url)) return send(opts);
    // plugin-retry reads `request.retries`: a create is never repeated blindly.
    opts.request = { ...opts.request, retries: 0 };
    const finder = firstAttemptFinder(opts.method, opts.url);
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(opts);
      } catch (error) {
        if (!finder || !isServerError(error) || attempt >= tuning.attempts) throw error;
        // GitHub's backend may still be writing what its frontend gave up on: look after the wait.
        await wait(backoffDelayMs(attempt, tuning.baseDelayMs, 30_000));
        const first = await finder(octokit.request, {
          method: opts.method,
          route: opts.url,
          params: opts,
          startedAt,
        });
        if (first.found === true)
          return { status: first.status, url: opts.url, headers: {}, data: first.data };
        if (first.found === "unknown") {
          (error as Error).message +=
            ` (not sent again: ${first.why}, so a second try might make it twice; check whether it happened)`;
          throw error;
        }
      }
    }
  });
}

/** The same rule as an Octokit plugin, for `Octokit.plugin(...)` (the App's ProbotOctokit). */
export function writeOncePlugin(octokit: unknown, options: object): void {
  const tuning = (options as { writeOnce?: Partial<WriteOnceTuning> }).writeOnce;
  installWriteOnce(octokit as OctokitShape, { ...defaultWriteOnce, ...tuning });
}
