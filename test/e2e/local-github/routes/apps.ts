import type { RouteContext } from "../context.ts";
import { findRepo } from "../context.ts";
import { notFound } from "../errors.ts";
import type { Router } from "../router.ts";
import { installationPermissions, installationShape } from "../shapes/installation.ts";
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

  router.on("POST /app/installations/{installation_id}/access_tokens", ({ params }) => {
    if (Number(params.installation_id) !== ctx.installation.id) throw notFound();
    const token = ctx.credentials.issueInstallationToken(ctx.installation.id);
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      status: 201,
      body: {
        token,
        expires_at: expires,
        permissions: installationPermissions,
        repository_selection: "all" as const,
        repositories: [...ctx.state.repos.values()].map((repo) => repositoryShape(repo, ctx.urls)),
      },
    };
  });

  router.on("GET /", () => ({ status: 200, body: { current_user_url: `${ctx.urls.api}/user` } as never }));
}
