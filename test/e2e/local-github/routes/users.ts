import type { RouteContext } from "../context.ts";
import { notFound } from "../errors.ts";
import type { Router } from "../router.ts";
import { userShape } from "../shapes/user.ts";

/** Public profiles: people, organisations and the App's bot (`<slug>[bot]`, `type: "Bot"`, an id of its own). */
export function registerUserRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /users/{username}", ({ params }) => {
    const user = [...ctx.state.users.values()].find(
      (candidate) => candidate.login.toLowerCase() === params.username.toLowerCase(),
    );
    if (!user) throw notFound();
    // "Get a user" answers the public profile: the simple user plus profile fields and counts.
    const profile = {
      ...userShape(user, ctx.urls),
      name: null,
      company: null,
      blog: null,
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: [...ctx.state.repos.values()].filter((repo) => repo.owner === user).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: "2026-01-01T00:00:00Z",
      updated_at: "2026-01-01T00:00:00Z",
    };
    return { status: 200, body: profile };
  });
}
