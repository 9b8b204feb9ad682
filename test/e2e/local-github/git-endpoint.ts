import type { IncomingMessage, ServerResponse } from "node:http";
import type { RouteContext } from "./context.ts";
import { installationMayReach } from "./forks.ts";
import { GIT_PATH, serveGit } from "./git-http.ts";
import { gitRefusal } from "./git-permissions.ts";
import type { GitTraffic } from "./git-traffic.ts";
import { syncPullRefs } from "./pull-lookup.ts";
import type { PushGate } from "./push-gate.ts";
import { rewriteRefusals } from "./report-status.ts";

export interface GitExchange {
  request: IncomingMessage;
  response: ServerResponse;
  body: Buffer;
  url: URL;
}

/**
 * `<owner>/<repo>.git/...`: the repository must exist and the request must carry a token this
 * GitHub issued, as Basic auth (`x-access-token:<token>`); people need read access to fetch and
 * write access to push. An installation reaches its account's repositories, and a fork only while
 * it heads a pull request into one of them (`forks.ts`); GitHub answers "Repository not found."
 * for a private repository the token cannot see. Each ref a push updates is judged by the push
 * gate (`push-gate.ts`). Accepted pushes are recorded and move `refs/pull/<n>/head`.
 */
export async function answerGit(
  exchange: GitExchange,
  deps: { ctx: RouteContext; projectRoot: string; gate: PushGate; traffic: GitTraffic },
): Promise<void> {
  const { request, response, url } = exchange;
  const path = `${url.pathname}${url.search}`;
  const { traffic } = deps;
  response.once("finish", () =>
    traffic.requests.push({
      method: request.method ?? "GET",
      path,
      authorization: request.headers.authorization,
      status: response.statusCode,
    }),
  );
  if (traffic.answeredByFault(path, response)) return;
  const [, owner, name, rest] = GIT_PATH.exec(url.pathname) as unknown as [string, string, string, string];
  const repo = deps.ctx.state.repo(owner, name);
  if (!repo) {
    response.writeHead(404).end("Repository not found.\n");
    return;
  }
  const auth = deps.ctx.credentials.authenticateGit(request.headers.authorization);
  if (!auth.ok) {
    response.writeHead(401, { "www-authenticate": 'Basic realm="GitHub"' }).end(`${auth.message}\n`);
    return;
  }
  const isPush = url.searchParams.get("service") === "git-receive-pack" || rest.endsWith("/git-receive-pack");
  if (auth.caller.kind === "installation" && !installationMayReach(deps.ctx, repo)) {
    response.writeHead(404).end("Repository not found.\n");
    return;
  }
  if (auth.caller.kind === "user") {
    const role = repo.collaborators.get(auth.caller.login);
    const mayWrite = role === "admin" || role === "maintain" || role === "write";
    if (!role || (isPush && !mayWrite)) {
      response.writeHead(403).end(`Permission to ${owner}/${name}.git denied to ${auth.caller.login}.\n`);
      return;
    }
  }
  if (auth.caller.kind === "installation") {
    const refusal = gitRefusal(deps.ctx, auth.caller, repo, isPush);
    if (refusal) {
      response.writeHead(refusal.status, { "content-type": "text/plain" }).end(`${refusal.message}\n`);
      return;
    }
  }
  const push =
    request.method === "POST" && rest.endsWith("/git-receive-pack")
      ? deps.gate.begin({ repo, caller: auth.caller })
      : undefined;
  await serveGit(
    {
      ...exchange,
      env: push?.env,
      projectRoot: deps.projectRoot,
      pathInfo: `/${repo.owner.login}/${repo.name}.git${rest}`,
      gitDir: repo.gitDir,
      user: auth.caller.kind === "user" ? auth.caller.login : deps.ctx.credentials.botLogin,
      repoFullName: `${repo.owner.login}/${repo.name}`,
      send: (body) => traffic.send(response, body),
    },
    async (pushes) => {
      deps.ctx.state.pushes.push(...pushes);
      await syncPullRefs(deps.ctx, repo);
    },
    (body) => rewriteRefusals(body, push?.finish() ?? new Map()),
  );
}
