import { authorizeInstallation } from "./authorize.ts";
import { checkBodyLengths } from "./body-limits.ts";
import type { RouteContext } from "./context.ts";
import type { Caller } from "./openapi-route.ts";
import { checkRequestBody } from "./rest-schemas.ts";
import type { Answer } from "./router.ts";

/**
 * What GitHub checks before a route does anything, in its order: the token's permissions
 * (`authorize.ts`), the body against the operation's schema (`rest-schemas.ts`), body lengths
 * (`body-limits.ts`). Returns the refusal to send, or undefined; throws GitHubError for 403 and
 * 422 Validation Failed. `missingSchema` is told about an operation the schemas file lacks.
 */
export function checkRequest(
  ctx: RouteContext,
  request: { key: string; params: Record<string, string>; caller: Caller; body: unknown },
  missingSchema: () => void,
): Answer | undefined {
  const { key, params, caller, body } = request;
  if (caller.kind === "installation") authorizeInstallation(ctx, key, caller, params);
  const checked = checkRequestBody(key, body);
  if (!checked.ok && checked.status === 422) {
    return {
      status: 422,
      body: { message: checked.message, documentation_url: checked.documentation, status: "422" },
    };
  }
  if (!checked.ok) missingSchema();
  checkBodyLengths(key, body);
  return undefined;
}
