import type { RouteContext } from "../context.ts";
import { GitHubError, notFound } from "../errors.ts";
import type { Caller } from "../openapi-route.ts";
import type { Router } from "../router.ts";
import { installationShape } from "../shapes/installation.ts";
import { repositoryShape } from "../shapes/repository.ts";
import { userShape } from "../shapes/user.ts";
import type { RepoRecord } from "../state.ts";

/**
 * The routes a signed-in user's token reaches. A user access token of a GitHub App "can only access
 * resources that both the user and app can access", listed through `GET /user/installations` and
 * `GET /user/installations/{installation_id}/repositories`:
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app
 * https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
 */
export function registerSignedInUserRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /user", ({ caller }) => {
    const user = ctx.state.users.get(userLogin(caller));
    if (!user) throw notFound();
    const shape = userShape(user, ctx.urls);
    return {
      status: 200,
      body: {
        ...shape,
        name: null,
        company: null,
        blog: null,
        location: null,
        email: null,
        hireable: null,
        bio: null,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        created_at: "2020-01-01T00:00:00Z",
        updated_at: "2020-01-01T00:00:00Z",
      },
    };
  });

  router.on("GET /user/installations", ({ caller }) => {
    const login = appUserLogin(caller);
    const visible = readableRepos(ctx, login).length > 0;
    const installations = visible ? [installationShape(ctx.installation, ctx.urls)] : [];
    return { status: 200, body: { total_count: installations.length, installations } };
  });

  router.on("GET /user/installations/{installation_id}/repositories", ({ caller, params, query }) => {
    const login = appUserLogin(caller);
    if (Number(params.installation_id) !== ctx.installation.id) throw notFound();
    const all = readableRepos(ctx, login);
    const perPage = Math.min(100, Number(query.get("per_page") ?? 30) || 30);
    const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: {
        total_count: all.length,
        repositories: slice.map((repo) => repositoryShape(repo, ctx.urls)),
      },
    };
  });
}

function userLogin(caller: Caller): string {
  if (caller.kind !== "user") {
    throw new GitHubError(403, "Resource not accessible by integration");
  }
  return caller.login;
}

/** "You must authenticate with an access token authorized to a GitHub App in order to list installations." */
function appUserLogin(caller: Caller): string {
  const login = userLogin(caller);
  if (!(caller.kind === "user" && caller.appUser)) {
    throw new GitHubError(
      403,
      "You must authenticate with an access token authorized to a GitHub App in order to list installations",
    );
  }
  return login;
}

/**
 * Explicit access only: repositories the user owns or is a collaborator on (any role). Every
 * repository here belongs to the App's one installation.
 */
function readableRepos(ctx: RouteContext, login: string): RepoRecord[] {
  return [...ctx.state.repos.values()]
    .filter((repo) => repo.owner.login === login || repo.collaborators.has(login))
    .sort((a, b) => `${a.owner.login}/${a.name}`.localeCompare(`${b.owner.login}/${b.name}`));
}
