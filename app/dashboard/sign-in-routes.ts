import type { IncomingMessage, ServerResponse } from "node:http";
import { clearCookie, readCookies, setCookie } from "./cookies.ts";
import type { DashboardContext } from "./dashboard-context.ts";
import { layout } from "./layout.ts";
import { finishSignIn, SignInRefused, STATE_COOKIE, startSignIn } from "./oauth.ts";
import { readForm } from "./read-form.ts";
import { html } from "./render/html.ts";
import { redirect, sendPage } from "./respond.ts";
import { SESSION_COOKIE, SESSION_HOURS } from "./sessions.ts";

type SignInRoute = (
  context: DashboardContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
) => void | Promise<void>;

/** The routes that need no session, by `METHOD path`: sign in with GitHub, its callback, sign out. */
export const signInRoutes: Record<string, SignInRoute> = {
  "GET /dashboard/login": (context, _request, response) => login(context, response),
  "GET /dashboard/auth/callback": callback,
  "POST /dashboard/logout": logout,
  "GET /dashboard/signed-out": (_context, _request, response) =>
    sendPage(
      response,
      200,
      layout(
        "Signed out",
        html`<h1>You are signed out</h1><p><a href="/dashboard/login">Sign in with GitHub</a></p>`,
      ),
    ),
};

function login(context: DashboardContext, response: ServerResponse): void {
  if (!context.signIn) {
    sendPage(
      response,
      503,
      layout(
        "Sign-in is not set up",
        html`<h1>Sign-in is not set up</h1><div class="notice"><p>The dashboard signs people in with GitHub through this App. Set <code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code> to the client id and a client secret from the App's settings page, add <code>${context.options.publicUrl.replace(/\/$/, "")}/dashboard/auth/callback</code> as its callback URL, and restart (docs/app.md, "Dashboard").</p></div>`,
      ),
    );
    return;
  }
  const { location, cookie } = startSignIn(context.signIn);
  redirect(response, location, [cookie]);
}

async function callback(
  context: DashboardContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  if (!context.signIn) return login(context, response);
  const clearState = clearCookie(STATE_COOKIE, context.secure);
  try {
    const token = await finishSignIn(
      context.signIn,
      url.searchParams,
      readCookies(request).get(STATE_COOKIE),
    );
    const session = await context.sessions.create(token);
    const cookie = setCookie(SESSION_COOKIE, context.keys.sign(session.id), {
      maxAgeSeconds: SESSION_HOURS * 3600,
      secure: context.secure,
    });
    redirect(response, "/dashboard/runs", [clearState, cookie]);
  } catch (error) {
    if (!(error instanceof SignInRefused)) throw error;
    sendPage(
      response,
      400,
      layout(
        "Sign-in failed",
        html`<h1>Sign-in failed</h1><p class="notice">${error.message}</p><p><a href="/dashboard/login">Sign in again</a></p>`,
      ),
      [clearState],
    );
  }
}

async function logout(
  context: DashboardContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const id = context.keys.verify(readCookies(request).get(SESSION_COOKIE));
  const form = await readForm(request);
  // The token is bound to the session: a page on another site cannot know it.
  if (!id || !context.keys.checkCsrf(id, form.get("csrf") ?? undefined)) {
    return sendPage(
      response,
      403,
      layout(
        "Refused",
        html`<h1>Refused</h1><p class="notice">This form did not come from your dashboard page (CSRF check). Reload the dashboard and sign out from there.</p>`,
      ),
    );
  }
  await context.sessions.delete(id);
  redirect(response, "/dashboard/signed-out", [clearCookie(SESSION_COOKIE, context.secure)]);
}
