import type { RouteContext } from "./context.ts";
import { GitHubError, notFound } from "./errors.ts";
import type { Caller } from "./openapi-route.ts";
import { acceptedPermissionsHeader, grants, ROUTE_PERMISSIONS } from "./route-permissions.ts";

/**
 * What an installation token may reach. A route needs one of the permission sets GitHub documents for
 * it, else 403 "Resource not accessible by integration" with the sets that would have worked in
 * `x-accepted-github-permissions` (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible).
 * A token limited to some repositories gets 404 for the others: "GitHub uses a 404 Not Found response
 * instead of a 403 Forbidden response to avoid confirming the existence of private repositories"
 * (same page, "404 Not Found for an existing resource").
 */
export function authorizeInstallation(
  ctx: RouteContext,
  key: string,
  caller: Extract<Caller, { kind: "installation" }>,
  params: Record<string, string>,
): void {
  const requirement = ROUTE_PERMISSIONS[key];
  if (requirement === undefined) throw new Error(`${key} has no rule in route-permissions.ts`);
  if (requirement === "public" || requirement === "app-jwt") return;
  if (requirement === "user-token") throw new GitHubError(403, "Resource not accessible by integration");
  if (caller.repositoryIds && params.owner !== undefined && params.repo !== undefined) {
    const repo = ctx.state.repo(params.owner, params.repo);
    if (repo && !caller.repositoryIds.includes(repo.id)) throw notFound();
  }
  if (requirement.anyOf.some((set) => grants(caller.permissions, set))) return;
  throw new GitHubError(403, "Resource not accessible by integration", undefined, {
    "x-accepted-github-permissions": acceptedPermissionsHeader(requirement.anyOf),
  });
}
