import type { IncomingMessage, ServerResponse } from "node:http";
import {
  currentSession,
  type DashboardContext,
  type DashboardOptions,
  dashboardContext,
} from "./dashboard-context.ts";
import { layout } from "./layout.ts";
import { html } from "./render/html.ts";
import { redirect, sendPage } from "./respond.ts";
import { signInRoutes } from "./sign-in-routes.ts";
import { signedInPage } from "./signed-in-pages.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** `/dashboard`: sign-in with GitHub, then runs, one run, repositories and models. */
export function dashboard(options: DashboardOptions): Handler {
  const context = dashboardContext(options);
  return async (request, response) => {
    const url = new URL(request.url ?? "/", "http://dashboard.invalid");
    if (url.pathname !== "/dashboard" && !url.pathname.startsWith("/dashboard/")) return false;
    try {
      await route(context, request, response, url);
    } catch (error) {
      options.log?.error({ err: error, path: url.pathname }, "dashboard request failed");
      if (!response.headersSent) sendErrorPage(response);
    }
    return true;
  };
}

/** Sign-in's own routes first; every other page reads only, and only with a session. */
async function route(
  context: DashboardContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, "") || "/dashboard";
  const method = request.method ?? "GET";
  const signInRoute = signInRoutes[`${method} ${path}`];
  if (signInRoute) return signInRoute(context, request, response, url);
  if (method !== "GET" && method !== "HEAD") {
    return sendPage(response, 405, layout("Not allowed", html`<h1>Method not allowed</h1>`));
  }
  const session = await currentSession(context, request);
  if (!session) return redirect(response, "/dashboard/login");
  return signedInPage(context, session, response, path, url);
}

function sendErrorPage(response: ServerResponse): void {
  sendPage(
    response,
    500,
    layout(
      "Error",
      html`<h1>Something went wrong</h1><p class="notice">The dashboard could not answer; the App's log has the details. Try again in a moment.</p>`,
    ),
  );
}
