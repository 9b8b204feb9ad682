import type { IncomingMessage } from "node:http";
import { notModified, withEtag } from "./conditional-requests.ts";
import type { RouteContext } from "./context.ts";
import { GitHubError } from "./errors.ts";
import { Faults } from "./faults.ts";
import { matchGitHubRoute } from "./github-routes.ts";
import { linkHeader, type PageCut, pageOfRequest } from "./link-header.ts";
import type { Caller, RouteHandler, RouteKey } from "./openapi-route.ts";
import { RateLimits } from "./rate-limits.ts";
import { checkRequest } from "./request-checks.ts";
import { ROUTE_PERMISSIONS } from "./route-permissions.ts";

/** Something a client did that GitHub would not accept or that this fake cannot answer truthfully. */
export interface Violation {
  kind: "not-a-github-route" | "not-implemented" | "malformed-body" | "no-rest-schema";
  method: string;
  path: string;
  message: string;
}

export interface RecordedRequest {
  method: string;
  /** The GitHub route it matched, e.g. `POST /repos/{owner}/{repo}/issues`. */
  route: string | undefined;
  path: string;
  status: number;
  caller: Caller | undefined;
  body: unknown;
  /** `performance.now()` when it was answered. */
  at: number;
}

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  raw?: { contentType: string; data: Buffer };
}

/** Routes a request may call with the App's JWT instead of an installation token, as on GitHub. */
const APP_JWT_ROUTES = new Set([
  "GET /app",
  "GET /app/installations",
  "GET /app/installations/{installation_id}",
  "POST /app/installations/{installation_id}/access_tokens",
  "GET /repos/{owner}/{repo}/installation",
  "GET /orgs/{org}/installation",
  "GET /users/{username}/installation",
]);
const PUBLIC_ROUTES = new Set(["GET /", "GET /meta", "GET /rate_limit"]);

type AnyHandler = (request: {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  accept: string;
  caller: Caller;
}) => Answer | Promise<Answer>;

export class Router {
  private readonly handlers = new Map<string, AnyHandler>();
  readonly violations: Violation[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Errors a test injects per route (`faults.ts`). */
  readonly faults = new Faults();

  constructor(
    private readonly ctx: RouteContext,
    /** Primary and secondary rate limits, and the per-installation counters (`rate-limits.ts`). */
    readonly limits: RateLimits = new RateLimits(ctx.clock),
  ) {}

  /** Registers a route; every route must carry the permission GitHub documents for it. */
  on<K extends RouteKey>(key: K, handler: NoInfer<RouteHandler<K>>): void {
    if (!(key in ROUTE_PERMISSIONS)) {
      throw new Error(
        `${key} has no permission rule: add the one "Permissions required for GitHub Apps" lists to test/e2e/local-github/route-permissions.ts`,
      );
    }
    this.handlers.set(key, handler as unknown as AnyHandler);
  }

  async answer(request: IncomingMessage, url: URL, rawBody: Buffer): Promise<Answer> {
    const method = request.method ?? "GET";
    const path = url.pathname;
    const match = matchGitHubRoute(method, path);
    if (!match) {
      return this.refuse({
        kind: "not-a-github-route",
        method,
        path,
        message: `${method} ${path} is not one of GitHub's REST routes`,
      });
    }
    const key = match.route.key;
    let limitHeaders: Record<string, string> = {};
    const record = (answer: Answer, caller: Caller | undefined, body: unknown): Answer => {
      this.requests.push({
        method,
        route: key,
        path,
        status: answer.status,
        caller,
        body,
        at: performance.now(),
      });
      return { ...answer, headers: { ...limitHeaders, ...answer.headers } };
    };

    let body: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString("utf8"));
      } catch {
        this.violations.push({ kind: "malformed-body", method, path, message: "request body is not JSON" });
        return record({ status: 400, body: { message: "Problems parsing JSON" } }, undefined, undefined);
      }
    }

    let caller: Caller = { kind: "user", login: "anonymous" };
    if (!PUBLIC_ROUTES.has(key)) {
      const auth = this.ctx.credentials.authenticateApi(request.headers.authorization);
      if (!auth.ok) return record({ status: 401, body: { message: auth.message } }, undefined, body);
      caller = auth.caller;
      const needsJwt = APP_JWT_ROUTES.has(key);
      if (needsJwt !== (caller.kind === "app")) {
        const message = needsJwt
          ? `${key} needs the App's JWT, not an installation or user token`
          : `${key} needs an installation or user token; an App JWT only reaches /app routes`;
        return record({ status: 401, body: { message } }, caller, body);
      }
    }

    const handler = this.handlers.get(key);
    if (!handler) {
      return this.refuse({
        kind: "not-implemented",
        method,
        path,
        message: `${key} is a GitHub route the local GitHub does not implement yet (add it in test/e2e/local-github/routes/)`,
      });
    }
    const admitted = this.limits.admit(caller, key, method);
    limitHeaders = admitted.headers;
    if (admitted.refusal) return record(admitted.refusal, caller, body);
    try {
      const before = await this.faults.take(key, "before", request);
      if (before) return record(before, caller, body);
      const refused = checkRequest(this.ctx, { key, params: match.params, caller, body }, () =>
        this.violations.push({
          kind: "no-rest-schema",
          method,
          path,
          message: `${key} is missing from rest-schemas.generated.json: run npx tsx scripts/extract-rest-schemas.ts`,
        }),
      );
      if (refused) return record(refused, caller, body);
      const accept = request.headers.accept ?? "application/vnd.github+json";
      const slot: { cut?: PageCut } = {};
      const handled = await pageOfRequest.run(slot, () =>
        handler({ params: match.params, query: url.searchParams, body, accept, caller }),
      );
      const link = slot.cut ? linkHeader(new URL(request.url ?? path, url), slot.cut) : undefined;
      const answer = withEtag(link ? { ...handled, headers: { ...handled.headers, link } } : handled);
      const fault = await this.faults.take(key, "after", request);
      if (fault) return record(fault, caller, body);
      const unchanged = notModified(method, request.headers["if-none-match"], answer);
      if (unchanged && request.headers.authorization) limitHeaders = this.limits.notModified(caller, key);
      return record(unchanged ?? answer, caller, body);
    } catch (error) {
      if (error instanceof GitHubError) {
        const errorBody = {
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
          documentation_url: "https://docs.github.com/rest",
          status: String(error.status),
        };
        return record(
          { status: error.status, body: errorBody, ...(error.headers ? { headers: error.headers } : {}) },
          caller,
          body,
        );
      }
      throw error;
    }
  }

  private refuse(violation: Violation): Answer {
    this.violations.push(violation);
    this.requests.push({
      method: violation.method,
      route: undefined,
      path: violation.path,
      status: 404,
      caller: undefined,
      body: undefined,
      at: performance.now(),
    });
    return { status: 404, body: { message: violation.message } };
  }
}
