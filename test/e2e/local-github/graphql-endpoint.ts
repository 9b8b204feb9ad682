import type { IncomingMessage, ServerResponse } from "node:http";
import { Kind, parse } from "graphql";
import type { BranchRules } from "./branch-rules.ts";
import type { RouteContext } from "./context.ts";
import { answerGraphql } from "./graphql.ts";
import type { Caller } from "./openapi-route.ts";
import type { Router } from "./router.ts";

/** Whether the request's document holds a mutation (one that does not parse is refused later). */
function isMutation(body: { query?: unknown }): boolean {
  if (typeof body.query !== "string") return false;
  try {
    return parse(body.query).definitions.some(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === "mutation",
    );
  } catch {
    return false;
  }
}

/**
 * `POST /graphql` over HTTP: authenticated like the REST API (an installation or user token; GitHub
 * answers 401 "This endpoint requires you to be authenticated." otherwise), recorded with the REST
 * requests, and open to the same injected faults (route `POST /graphql`). A mutation spends the
 * installation's content-creation limit (`RateLimits.admitMutation`).
 */
export async function serveGraphql(
  exchange: { request: IncomingMessage; response: ServerResponse; raw: Buffer },
  deps: { ctx: RouteContext; router: Router; branchRules: BranchRules },
): Promise<void> {
  const { request, response, raw } = exchange;
  const { router } = deps;
  const auth = deps.ctx.credentials.authenticateApi(request.headers.authorization);
  const body = raw.length > 0 ? JSON.parse(raw.toString("utf8")) : {};
  const route = "POST /graphql";
  const record = (status: number, caller?: Caller) =>
    router.requests.push({
      method: "POST",
      route,
      path: "/graphql",
      status,
      caller,
      body,
      at: performance.now(),
    });
  const send = (status: number, payload: unknown) =>
    response
      .writeHead(status, { "content-type": "application/json; charset=utf-8" })
      .end(JSON.stringify(payload));
  if (!auth.ok || auth.caller.kind === "app") {
    record(401);
    send(401, { message: "This endpoint requires you to be authenticated." });
    return;
  }
  if (isMutation(body)) {
    const refusal = router.limits.admitMutation(auth.caller);
    if (refusal) {
      record(refusal.status, auth.caller);
      response
        .writeHead(refusal.status, { "content-type": "application/json; charset=utf-8", ...refusal.headers })
        .end(JSON.stringify(refusal.body));
      return;
    }
  }
  const fault = await router.faults.take(route, "before", request);
  if (fault) {
    record(fault.status, auth.caller);
    send(fault.status, fault.body);
    return;
  }
  const { violation, ...answer } = await answerGraphql(body, {
    ctx: deps.ctx,
    branchRules: deps.branchRules,
    caller: auth.caller,
  });
  if (violation)
    router.violations.push({ kind: "not-implemented", method: "POST", path: "/graphql", message: violation });
  const after = await router.faults.take(route, "after", request);
  record(after?.status ?? 200, auth.caller);
  send(after?.status ?? 200, after?.body ?? answer);
}
