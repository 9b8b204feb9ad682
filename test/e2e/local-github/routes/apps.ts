import type { PermissionSet } from "../app-manifest.ts";
import type { RouteContext } from "../context.ts";
import { findRepo } from "../context.ts";
import { notFound } from "../errors.ts";
import { mintInstallationToken } from "../installation-tokens.ts";
import type { Router } from "../router.ts";
import { installationShape } from "../shapes/installation.ts";
import { repositoryShape } from "../shapes/repository.ts";

/** The App's own routes: find the installation, mint installation tokens. */
export function registerAppRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /repos/{owner}/{repo}/installation", ({ params }) => {
    findRepo(ctx, params);
    return { status: 200, body: installationShape(ctx.installation, ctx.urls) };
  });

  router.on("GET /app/installations", () => ({
    status: 200,
    body: [installationShape(ctx.installation, ctx.urls)],
  }));

  router.on("POST /app/installations/{installation_id}/access_tokens", ({ params, body }) => {
    if (Number(params.installation_id) !== ctx.installation.id) throw notFound();
    const minted = mintInstallationToken(ctx, {
      ...(body?.permissions ? { permissions: body.permissions as PermissionSet } : {}),
      ...(body?.repositories ? { repositories: body.repositories } : {}),
      ...(body?.repository_ids ? { repository_ids: body.repository_ids } : {}),
    });
    const repositories = minted.repositories ?? [...ctx.state.repos.values()];
    return {
      status: 201,
      body: {
        token: minted.token,
        expires_at: minted.expiresAt,
        permissions: minted.permissions,
        repository_selection: minted.repositories ? ("selected" as const) : ("all" as const),
        repositories: repositories.map((repo) => repositoryShape(repo, ctx.urls)),
      },
    };
  });

  router.on("GET /", () => {
    const api = ctx.urls.api;
    return {
      status: 200,
      body: {
        current_user_url: `${api}/user`,
        current_user_authorizations_html_url: `${ctx.urls.html}/settings/connections/applications{/client_id}`,
        authorizations_url: `${api}/authorizations`,
        code_search_url: `${api}/search/code?q={query}{&page,per_page,sort,order}`,
        commit_search_url: `${api}/search/commits?q={query}{&page,per_page,sort,order}`,
        emails_url: `${api}/user/emails`,
        emojis_url: `${api}/emojis`,
        events_url: `${api}/events`,
        feeds_url: `${api}/feeds`,
        followers_url: `${api}/user/followers`,
        following_url: `${api}/user/following{/target}`,
        gists_url: `${api}/gists{/gist_id}`,
        issue_search_url: `${api}/search/issues?q={query}{&page,per_page,sort,order}`,
        issues_url: `${api}/issues`,
        keys_url: `${api}/user/keys`,
        label_search_url: `${api}/search/labels?q={query}&repository_id={repository_id}{&page,per_page}`,
        notifications_url: `${api}/notifications`,
        organization_url: `${api}/orgs/{org}`,
        organization_repositories_url: `${api}/orgs/{org}/repos{?type,page,per_page,sort}`,
        organization_teams_url: `${api}/orgs/{org}/teams`,
        public_gists_url: `${api}/gists/public`,
        rate_limit_url: `${api}/rate_limit`,
        repository_url: `${api}/repos/{owner}/{repo}`,
        repository_search_url: `${api}/search/repositories?q={query}{&page,per_page,sort,order}`,
        current_user_repositories_url: `${api}/user/repos{?type,page,per_page,sort}`,
        starred_url: `${api}/user/starred{/owner}{/repo}`,
        starred_gists_url: `${api}/gists/starred`,
        user_url: `${api}/users/{user}`,
        user_organizations_url: `${api}/user/orgs`,
        user_repositories_url: `${api}/users/{user}/repos{?type,page,per_page,sort}`,
        user_search_url: `${api}/search/users?q={query}{&page,per_page,sort,order}`,
      },
    };
  });
}
