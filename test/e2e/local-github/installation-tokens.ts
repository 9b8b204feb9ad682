import type { PermissionSet } from "./app-manifest.ts";
import type { RouteContext } from "./context.ts";
import { INSTALLATION_TOKEN_LIFETIME_MS } from "./credentials.ts";
import { GitHubError } from "./errors.ts";
import { grants } from "./route-permissions.ts";
import type { RepoRecord } from "./state.ts";

export interface TokenRequest {
  /** A subset of the installation's permissions; all of them when absent. */
  permissions?: PermissionSet;
  /** Repository names the token is limited to. */
  repositories?: string[];
  repository_ids?: number[];
}

export interface MintedToken {
  token: string;
  expiresAt: string;
  permissions: PermissionSet;
  repositories?: RepoRecord[];
}

/**
 * Mints an installation token as `POST /app/installations/{id}/access_tokens` does: "If permissions
 * is not specified, the installation access token will have all of the permissions that were granted
 * to the app. The installation access token cannot be granted permissions that the app was not
 * granted", nor repositories the installation cannot reach (REST description, "Create an installation
 * access token for an app": https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
 */
export function mintInstallationToken(
  ctx: RouteContext,
  request: TokenRequest = {},
  /** The token's text, for a test that plants a known canary (GitHub picks it at random). */
  text?: string,
): MintedToken {
  const granted = ctx.installation.permissions;
  const permissions = request.permissions ?? granted;
  if (!grants(granted, permissions)) {
    throw new GitHubError(422, "The permissions requested are not granted to this installation.");
  }
  const repositories = selectRepositories(ctx, request);
  const expiresAt = ctx.clock.now() + INSTALLATION_TOKEN_LIFETIME_MS;
  const token = ctx.credentials.issueInstallationToken(
    ctx.installation.id,
    {
      permissions,
      expiresAt,
      ...(repositories ? { repositoryIds: repositories.map((repo) => repo.id) } : {}),
    },
    text,
  );
  return {
    token,
    expiresAt: ctx.clock.iso(expiresAt),
    permissions,
    ...(repositories ? { repositories } : {}),
  };
}

function selectRepositories(ctx: RouteContext, request: TokenRequest): RepoRecord[] | undefined {
  if (!request.repositories && !request.repository_ids) return undefined;
  const all = [...ctx.state.repos.values()];
  const byName = (request.repositories ?? []).map((name) =>
    all.find((repo) => repo.name.toLowerCase() === name.toLowerCase()),
  );
  const byId = (request.repository_ids ?? []).map((id) => all.find((repo) => repo.id === id));
  const chosen = [...byName, ...byId];
  if (chosen.some((repo) => repo === undefined)) {
    throw new GitHubError(
      422,
      "There is at least one repository that does not exist or is not accessible to the parent installation.",
    );
  }
  return [...new Set(chosen as RepoRecord[])];
}
