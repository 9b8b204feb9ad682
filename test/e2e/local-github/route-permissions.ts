import type { Access, PermissionSet } from "./app-manifest.ts";

/**
 * What an installation token needs for each route the local GitHub serves, from GitHub's
 * "Permissions required for GitHub Apps"
 * (https://docs.github.com/rest/authentication/permissions-required-for-github-apps, generated from
 * github/docs `src/github-apps/data/fpt-2022-11-28/server-to-server-permissions.json`).
 * A route listed under several permissions with "additional permissions" works with any one of them
 * ("Other endpoints work with any one permission from a set of permissions"), so each entry is a list
 * of alternatives. `public`: no permission (public data); `app-jwt`: only the App's JWT reaches it;
 * `user-token`: only a user's token (the routes are absent from the server-to-server list).
 */
export type RouteRequirement = { anyOf: PermissionSet[] } | "public" | "app-jwt" | "user-token";

const any = (...sets: PermissionSet[]): RouteRequirement => ({ anyOf: sets });
const issuesOrPulls = (access: Access) => any({ issues: access }, { pull_requests: access });

export const ROUTE_PERMISSIONS: Record<string, RouteRequirement> = {
  "GET /": "public",
  "GET /users/{username}": "public",
  "GET /app": "app-jwt",
  "GET /app/installations": "app-jwt",
  "GET /app/installations/{installation_id}": "app-jwt",
  "POST /app/installations/{installation_id}/access_tokens": "app-jwt",
  "GET /repos/{owner}/{repo}/installation": "app-jwt",
  // Only a user access token: "List app installations accessible to the user access token" and
  // its repositories (https://docs.github.com/rest/apps/installations), and the signed-in user.
  "GET /user": "user-token",
  "GET /user/installations": "user-token",
  "GET /user/installations/{installation_id}/repositories": "user-token",
  // Repository permissions for "Metadata"
  "GET /repos/{owner}/{repo}": any({ metadata: "read" }),
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": any({ metadata: "read" }),
  // Repository permissions for "Contents"
  "GET /repos/{owner}/{repo}/contents/{path}": any({ contents: "read" }),
  // Repository permissions for "Issues" (and "Pull requests" where listed with additional permissions)
  "GET /repos/{owner}/{repo}/issues": any({ issues: "read" }),
  "POST /repos/{owner}/{repo}/issues": any({ issues: "write" }),
  "GET /repos/{owner}/{repo}/issues/{issue_number}": any({ issues: "read" }),
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": issuesOrPulls("write"),
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": issuesOrPulls("read"),
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": issuesOrPulls("write"),
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": issuesOrPulls("read"),
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": issuesOrPulls("write"),
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": issuesOrPulls("write"),
  "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions": any({ issues: "write" }),
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": any({ issues: "write" }),
  // Repository permissions for "Pull requests" ("Get a pull request" is also under "Contents")
  "GET /repos/{owner}/{repo}/pulls": any({ pull_requests: "read" }),
  "POST /repos/{owner}/{repo}/pulls": any({ pull_requests: "write" }),
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": any({ pull_requests: "read" }, { contents: "read" }),
  "PATCH /repos/{owner}/{repo}/pulls/{pull_number}": any({ pull_requests: "write" }),
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": any({ pull_requests: "read" }),
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": any({ pull_requests: "read" }),
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies": any({
    pull_requests: "write",
  }),
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments": any({ pull_requests: "read" }),
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews": any({ pull_requests: "read" }),
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews": any({ pull_requests: "write" }),
  // Repository permissions for "Actions"
  "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": any({ actions: "write" }),
  "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": any({ actions: "read" }),
  "GET /repos/{owner}/{repo}/actions/runs": any({ actions: "read" }),
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}": any({ actions: "read" }),
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs": any({ actions: "read" }),
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs": any({ actions: "read" }),
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel": any({ actions: "write" }),
  // Repository permissions for "Administration": "List self-hosted runners for a repository"
  // (https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-a-repository)
  "GET /repos/{owner}/{repo}/actions/runners": any({ administration: "read" }),
};

const RANK: Record<Access, number> = { read: 1, write: 2, admin: 3 };

/** Write includes read, admin includes both. */
export function grants(granted: PermissionSet, needed: PermissionSet): boolean {
  return Object.entries(needed).every(([name, access]) => {
    const have = granted[name];
    return have !== undefined && RANK[have] >= RANK[access];
  });
}

/**
 * `x-accepted-github-permissions`: every permission set that would have worked, sets separated by
 * `;`, permissions within a set by `,`.
 * https://github.blog/changelog/2023-08-10-x-accepted-github-permissions-header-for-fine-grained-permission-actors
 */
export function acceptedPermissionsHeader(sets: PermissionSet[]): string {
  return sets
    .map((set) =>
      Object.entries(set)
        .map(([name, access]) => `${name}=${access}`)
        .join(","),
    )
    .join("; ");
}
