import type { RouteContext } from "./context.ts";
import { registerJobLogRoutes } from "./job-logs.ts";
import type { Router } from "./router.ts";
import { registerActionRoutes } from "./routes/actions.ts";
import { registerAppRoutes } from "./routes/apps.ts";
import { registerIssueRoutes } from "./routes/issues.ts";
import { registerPullRoutes } from "./routes/pulls.ts";
import { registerReactionRoutes } from "./routes/reactions.ts";
import { registerRepoRoutes } from "./routes/repos.ts";
import { registerReviewRoutes } from "./routes/reviews.ts";
import { registerSignedInUserRoutes } from "./routes/signed-in-user.ts";
import { registerUserRoutes } from "./routes/users.ts";

/** Every REST route the local GitHub answers, one file of `routes/` per area. */
export function registerRoutes(router: Router, ctx: RouteContext): void {
  for (const register of [
    registerAppRoutes,
    registerRepoRoutes,
    registerIssueRoutes,
    registerReactionRoutes,
    registerPullRoutes,
    registerReviewRoutes,
    registerActionRoutes,
    registerJobLogRoutes,
    registerUserRoutes,
    registerSignedInUserRoutes,
  ]) {
    register(router, ctx);
  }
}
