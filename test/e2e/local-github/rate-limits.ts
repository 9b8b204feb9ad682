import type { Clock } from "./clock.ts";
import type { Caller } from "./openapi-route.ts";
import type { Answer } from "./router.ts";

/**
 * GitHub's rate limits, per installation (or per user for user tokens), on the local GitHub's clock
 * ("Rate limits for the REST API", https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api):
 * - primary: 5,000 requests an hour for an installation (more on Enterprise Cloud), told in
 *   `x-ratelimit-limit/-remaining/-used/-reset/-resource`; over it, 403 with `x-ratelimit-remaining: 0`
 *   ("If you exceed your primary rate limit, you will receive a 403 Forbidden or 429 Too Many
 *   Requests response, and the x-ratelimit-remaining header will be 0").
 * - secondary, content creation: "no more than 80 content-generating requests per minute and no more
 *   than 500 content-generating requests per hour"; over it, 403 "You have exceeded a secondary rate
 *   limit" with `retry-after` ("If the retry-after response header is present, you should not retry
 *   your request until after that many seconds has elapsed"). Every POST, PATCH, PUT and DELETE
 *   counts as content-generating here (edits included), the conservative reading.
 * App JWT requests (`/app/...`) are not counted. Tests lower the numbers to trigger the limits.
 */
export interface RateLimitOptions {
  requestsPerHour?: number;
  writesPerMinute?: number;
  writesPerHour?: number;
  /** The `retry-after` of a secondary-limit answer, in seconds. */
  retryAfterSeconds?: number;
  /** GitHub answers a secondary limit with 403 or 429 (both documented; clients must handle both). */
  secondaryStatus?: 403 | 429;
}

export const GITHUB_RATE_LIMITS: Required<RateLimitOptions> = {
  requestsPerHour: 5_000,
  writesPerMinute: 80,
  writesPerHour: 500,
  retryAfterSeconds: 60,
  secondaryStatus: 403,
};

const DOCUMENTATION_URL = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";
const SECONDARY_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/** GitHub's answer to a request over a secondary limit: 403 or 429, its message, `retry-after`. */
export function secondaryLimitAnswer(
  status: 403 | 429,
  retryAfterSeconds: number,
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    body: { message: SECONDARY_MESSAGE, documentation_url: DOCUMENTATION_URL },
    headers: { ...headers, "retry-after": String(retryAfterSeconds) },
  };
}

/** What one installation (or user) has spent: the counters the budget benchmarks read. */
export interface Usage {
  /** REST requests (the primary limit's count). */
  requests: number;
  /** Content-creating requests: REST POST, PATCH, PUT, DELETE and GraphQL mutations. */
  writes: number;
  /** Requests refused by a rate limit (primary or secondary). */
  limited: number;
  /**
   * Conditional GETs answered 304 with an Authorization header: not among `requests`, since
   * GitHub does not count them against the primary limit (`conditional-requests.ts`).
   */
  notModified: number;
  byRoute: Record<string, number>;
}

interface Subject {
  usage: Usage;
  windowStart: number;
  inWindow: number;
  writeTimes: number[];
}

const HOUR = 3600_000;
const MINUTE = 60_000;
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

const subjectOf = (caller: Caller): string | undefined =>
  caller.kind === "installation"
    ? `installation:${caller.installationId}`
    : caller.kind === "user"
      ? `user:${caller.login}`
      : undefined;

export class RateLimits {
  private limits: Required<RateLimitOptions>;
  private readonly subjects = new Map<string, Subject>();

  constructor(
    private clock: Clock,
    options: RateLimitOptions = {},
  ) {
    this.limits = { ...GITHUB_RATE_LIMITS, ...options };
  }

  /** Changes the limits from now on (a test lowering them to trigger a refusal). */
  configure(options: RateLimitOptions): void {
    this.limits = { ...this.limits, ...options };
  }

  /**
   * Rolls the windows by another clock from now on: the budget simulation runs GitHub's hour on a
   * clock many times faster than the tokens' (which still expire an hour after minting, real time).
   */
  useClock(clock: Clock): void {
    this.clock = clock;
  }

  /** Counters of an installation (`installation:<id>`) or a user (`user:<login>`). */
  usage(subject: string): Usage {
    return (
      this.subjects.get(subject)?.usage ?? { requests: 0, writes: 0, limited: 0, notModified: 0, byRoute: {} }
    );
  }

  /**
   * Counts one request; answers the refusal when a limit is spent, else the `x-ratelimit-*` headers
   * for the answer.
   */
  admit(
    caller: Caller,
    route: string,
    method: string,
  ): { refusal?: Answer; headers: Record<string, string> } {
    const key = subjectOf(caller);
    if (!key) return { headers: {} };
    const subject = this.subject(key);
    const now = this.clock.now();
    if (now >= subject.windowStart + HOUR) {
      subject.windowStart = now;
      subject.inWindow = 0;
    }
    subject.writeTimes = subject.writeTimes.filter((at) => at > now - HOUR);
    const headers = (remaining: number) => this.headers(subject, remaining);
    if (subject.inWindow >= this.limits.requestsPerHour) {
      subject.usage.limited += 1;
      const who = caller.kind === "installation" ? `installation ID ${caller.installationId}` : caller.kind;
      return { refusal: this.refuse(`API rate limit exceeded for ${who}.`, headers(0)), headers: headers(0) };
    }
    if (WRITE_METHODS.has(method) && this.writesSpent(subject, now)) {
      subject.usage.limited += 1;
      const remaining = this.limits.requestsPerHour - subject.inWindow;
      const { secondaryStatus, retryAfterSeconds } = this.limits;
      return {
        refusal: secondaryLimitAnswer(secondaryStatus, retryAfterSeconds, headers(remaining)),
        headers: headers(remaining),
      };
    }
    subject.inWindow += 1;
    subject.usage.requests += 1;
    subject.usage.byRoute[route] = (subject.usage.byRoute[route] ?? 0) + 1;
    if (WRITE_METHODS.has(method)) {
      subject.usage.writes += 1;
      subject.writeTimes.push(now);
    }
    return { headers: headers(this.limits.requestsPerHour - subject.inWindow) };
  }

  /**
   * A request `admit` counted was answered 304 to a conditional GET made with an Authorization
   * header: it is taken off the primary limit's count and counted as `notModified` ("Making a
   * conditional request does not count against your primary rate limit if a 304 response is
   * returned and the request was made while correctly authorized with an Authorization header",
   * Best practices for using the REST API). Answers the answer's `x-ratelimit-*` headers.
   */
  notModified(caller: Caller, route: string): Record<string, string> {
    const key = subjectOf(caller);
    if (!key) return {};
    const subject = this.subject(key);
    subject.inWindow = Math.max(0, subject.inWindow - 1);
    subject.usage.requests -= 1;
    subject.usage.notModified += 1;
    const left = (subject.usage.byRoute[route] ?? 1) - 1;
    if (left > 0) subject.usage.byRoute[route] = left;
    else delete subject.usage.byRoute[route];
    return this.headers(subject, this.limits.requestsPerHour - subject.inWindow);
  }

  /** The `x-ratelimit-*` headers of an answer. */
  private headers(subject: Subject, remaining: number): Record<string, string> {
    return {
      "x-ratelimit-limit": String(this.limits.requestsPerHour),
      "x-ratelimit-remaining": String(Math.max(0, remaining)),
      "x-ratelimit-used": String(subject.inWindow),
      "x-ratelimit-reset": String(Math.ceil((subject.windowStart + HOUR) / 1000)),
      "x-ratelimit-resource": "core",
    };
  }

  /**
   * A GraphQL mutation. It creates content, and "content creation limits include actions taken on
   * the GitHub web interface as well as via the REST API and GraphQL API" (Rate limits for the REST
   * API, secondary rate limits), so it spends the content-creation limit and counts as a write
   * (route `POST /graphql (mutation)`). GraphQL's primary limit is its own (points, "Rate limits and
   * node limits for the GraphQL API"), so it is not one of the REST requests. Answers the refusal
   * when the secondary limit is spent.
   */
  admitMutation(caller: Caller): Answer | undefined {
    const key = subjectOf(caller);
    if (!key) return undefined;
    const subject = this.subject(key);
    const now = this.clock.now();
    subject.writeTimes = subject.writeTimes.filter((at) => at > now - HOUR);
    if (this.writesSpent(subject, now)) {
      subject.usage.limited += 1;
      return secondaryLimitAnswer(this.limits.secondaryStatus, this.limits.retryAfterSeconds);
    }
    const route = "POST /graphql (mutation)";
    subject.usage.writes += 1;
    subject.usage.byRoute[route] = (subject.usage.byRoute[route] ?? 0) + 1;
    subject.writeTimes.push(now);
    return undefined;
  }

  private writesSpent(subject: Subject, now: number): boolean {
    const lastMinute = subject.writeTimes.filter((at) => at > now - MINUTE).length;
    return (
      lastMinute >= this.limits.writesPerMinute || subject.writeTimes.length >= this.limits.writesPerHour
    );
  }

  private refuse(message: string, headers: Record<string, string>): Answer {
    return { status: 403, body: { message, documentation_url: DOCUMENTATION_URL }, headers };
  }

  private subject(key: string): Subject {
    let subject = this.subjects.get(key);
    if (!subject) {
      subject = {
        usage: { requests: 0, writes: 0, limited: 0, notModified: 0, byRoute: {} },
        windowStart: this.clock.now(),
        inWindow: 0,
        writeTimes: [],
      };
      this.subjects.set(key, subject);
    }
    return subject;
  }
}
