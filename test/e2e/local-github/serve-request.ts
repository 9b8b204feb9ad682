import type { IncomingMessage, ServerResponse } from "node:http";
import { type ActionsOidc, OIDC_PATH } from "./actions-oidc.ts";
import type { BranchRules } from "./branch-rules.ts";
import type { RouteContext } from "./context.ts";
import { answerGit } from "./git-endpoint.ts";
import { GIT_PATH } from "./git-http.ts";
import type { GitTraffic } from "./git-traffic.ts";
import { serveGraphql } from "./graphql-endpoint.ts";
import { answerJobLogDownload, JOB_LOG_DOWNLOAD_PATH } from "./job-logs.ts";
import { OAUTH_PATH, type OAuthWebFlow } from "./oauth-web-flow.ts";
import type { PushGate } from "./push-gate.ts";
import type { Router } from "./router.ts";

/** What answers the local GitHub's addresses: git, GraphQL, Actions' OIDC, the OAuth web flow, REST. */
export interface Endpoints {
  baseUrl: string;
  ctx: RouteContext;
  /** Where the repositories live (git's project root). */
  root: string;
  pushGate: PushGate;
  gitTraffic: GitTraffic;
  router: Router;
  branchRules: BranchRules;
  oidc: ActionsOidc;
  oauth: OAuthWebFlow;
}

/** One HTTP request to the local GitHub, sent to the endpoint its path names. */
export async function serveRequest(
  endpoints: Endpoints,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
): Promise<void> {
  const { ctx, router } = endpoints;
  const url = new URL(request.url ?? "/", endpoints.baseUrl);
  // GitHub Enterprise Server's addresses, as a GHES App (GHE_HOST) calls them: REST under /api/v3,
  // GraphQL at /api/graphql ("REST API endpoints": http(s)://HOSTNAME/api/v3,
  // https://docs.github.com/en/enterprise-server@latest/rest/quickstart); the same routes answer.
  if (url.pathname === "/api/graphql") url.pathname = "/graphql";
  else if (url.pathname.startsWith("/api/v3/")) url.pathname = url.pathname.slice("/api/v3".length);
  if (GIT_PATH.test(url.pathname)) {
    await answerGit(
      { request, response, body, url },
      { ctx, projectRoot: endpoints.root, gate: endpoints.pushGate, traffic: endpoints.gitTraffic },
    );
    return;
  }
  if (url.pathname === "/graphql" && request.method === "POST") {
    await serveGraphql({ request, response, raw: body }, { ctx, router, branchRules: endpoints.branchRules });
    return;
  }
  if (OIDC_PATH.test(url.pathname)) {
    await endpoints.oidc.answer(request, response, url);
    return;
  }
  if (OAUTH_PATH.test(url.pathname)) {
    await endpoints.oauth.answer(request, response, url, body);
    return;
  }
  if (JOB_LOG_DOWNLOAD_PATH.test(url.pathname) && request.method === "GET") {
    answerJobLogDownload(ctx, response, url.pathname);
    return;
  }
  const answer = await router.answer(request, url, body);
  const headers: Record<string, string> = {
    "x-github-media-type": "github.v3; format=json",
    ...answer.headers,
  };
  if (answer.raw) {
    headers["content-type"] = answer.raw.contentType;
    response.writeHead(answer.status, headers).end(answer.raw.data);
  } else if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
  } else {
    headers["content-type"] = "application/json; charset=utf-8";
    response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
  }
}
