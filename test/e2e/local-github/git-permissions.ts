import type { RouteContext } from "./context.ts";
import type { Caller } from "./openapi-route.ts";
import { grants } from "./route-permissions.ts";
import type { RepoRecord } from "./state.ts";

export interface GitRefusal {
  status: 403 | 404;
  /** Sent as text/plain; git prints it prefixed with `remote: `. */
  message: string;
}

/**
 * Git over smart HTTP with an installation token: "your app must have the Contents repository
 * permission" to clone (read) and to push (write)
 * (https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation#about-authentication-as-a-github-app-installation,
 * "Using an installation access token to authenticate for HTTP-based Git access"). A push without
 * Contents: write is refused before any pack is sent, with GitHub's
 * `remote: Permission to <owner>/<repo>.git denied to <login>.` and HTTP 403, the answer every
 * under-permissioned Actions token gets (e.g. https://github.com/ad-m/github-push-action/issues/96).
 * A repository of the installation's account outside the token's selection is not found (forks are
 * reached through their pull requests: `forks.ts`).
 */
export function gitRefusal(
  ctx: RouteContext,
  caller: Extract<Caller, { kind: "installation" }>,
  repo: RepoRecord,
  isPush: boolean,
): GitRefusal | undefined {
  const ownRepo = repo.owner === ctx.installation.account;
  if (ownRepo && caller.repositoryIds && !caller.repositoryIds.includes(repo.id)) {
    return { status: 404, message: "Repository not found." };
  }
  const needed = isPush ? "write" : "read";
  if (grants(caller.permissions, { contents: needed })) return undefined;
  if (!isPush) return { status: 404, message: "Repository not found." };
  return {
    status: 403,
    message: `Permission to ${repo.owner.login}/${repo.name}.git denied to ${caller.login}.`,
  };
}
