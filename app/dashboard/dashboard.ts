import type { IncomingMessage, ServerResponse } from "node:http";
import type { Kysely } from "kysely";
import { latestEvalResults } from "../../store/eval-history.ts";
import { decodeCursor, type RunFilters, runById, runsPage } from "../../store/queries/runs-page.ts";
import { STATS_WEEKS, weeklyStats } from "../../store/queries/weekly-stats.ts";
import type { Database } from "../../store/schema.ts";
import { clearCookie, readCookies, setCookie } from "./cookies.ts";
import type { GitHubUrls } from "./github-user.ts";
import { layout, type Section, type Viewer } from "./layout.ts";
import { finishSignIn, type OAuthClient, SignInRefused, STATE_COOKIE, startSignIn } from "./oauth.ts";
import { evalResultsSection } from "./pages/eval-results.ts";
import { runPageBody } from "./pages/run.ts";
import { runsPageBody } from "./pages/runs.ts";
import { weeklyPageBody } from "./pages/weekly.ts";
import { readForm } from "./read-form.ts";
import { html } from "./render/html.ts";
import { redirect, sendPage } from "./respond.ts";
import { DashboardKeys } from "./secrets.ts";
import { SESSION_HOURS, type Session, SessionStore } from "./sessions.ts";

export const SESSION_COOKIE = "inhouse_session";

export interface DashboardOptions {
  db: Kysely<Database>;
  github: GitHubUrls;
  /** The App's client id and secret; without them the dashboard explains how to turn sign-in on. */
  oauth?: OAuthClient;
  /** Where people reach the App, e.g. https://inhouse.example.com (the OAuth callback is under it). */
  publicUrl: string;
  /** At least 32 characters; signs cookies and seals the user tokens kept with sessions. */
  secret: string;
  currency?: string;
  now?: () => Date;
  log?: { error(details: object, message: string): void };
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** `/dashboard`: sign-in with GitHub, then runs, one run, repositories and models. */
export function dashboard(options: DashboardOptions): Handler {
  const keys = new DashboardKeys(options.secret);
  const sessions = new SessionStore(options.db, keys, options.github.api, options.now);
  const secure = options.publicUrl.startsWith("https://");
  const currency = options.currency ?? "$";
  const signIn = options.oauth
    ? {
        oauth: options.oauth,
        api: options.github.api,
        publicUrl: options.publicUrl,
        sign: (v: string) => keys.sign(v),
        verify: (v: string | undefined) => keys.verify(v),
        secure,
      }
    : undefined;

  return async (request, response) => {
    const url = new URL(request.url ?? "/", "http://dashboard.invalid");
    if (url.pathname !== "/dashboard" && !url.pathname.startsWith("/dashboard/")) return false;
    try {
      await route(request, response, url);
    } catch (error) {
      options.log?.error({ err: error, path: url.pathname }, "dashboard request failed");
      if (!response.headersSent) {
        sendPage(
          response,
          500,
          layout(
            "Error",
            html`<h1>Something went wrong</h1><p class="notice">The dashboard could not answer; the App's log has the details. Try again in a moment.</p>`,
          ),
        );
      }
    }
    return true;
  };

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.replace(/\/+$/, "") || "/dashboard";
    const method = request.method ?? "GET";
    if (path === "/dashboard/login" && method === "GET") return login(response);
    if (path === "/dashboard/auth/callback" && method === "GET") return callback(request, response, url);
    if (path === "/dashboard/logout" && method === "POST") return logout(request, response);
    if (path === "/dashboard/signed-out" && method === "GET") {
      return sendPage(
        response,
        200,
        layout(
          "Signed out",
          html`<h1>You are signed out</h1><p><a href="/dashboard/login">Sign in with GitHub</a></p>`,
        ),
      );
    }
    if (method !== "GET" && method !== "HEAD") {
      return sendPage(response, 405, layout("Not allowed", html`<h1>Method not allowed</h1>`));
    }
    const session = await currentSession(request);
    if (!session) return redirect(response, "/dashboard/login");
    const viewer: Viewer = { login: session.login, csrf: keys.csrfToken(session.id) };
    const page = (title: string, section: Section | undefined, body: ReturnType<typeof html>) =>
      sendPage(response, 200, layout(title, body, viewer, section));
    if (path === "/dashboard") return redirect(response, "/dashboard/runs");
    if (path === "/dashboard/runs") return page("Runs", "runs", await runsBody(session, url));
    const runId = /^\/dashboard\/runs\/(\d{1,15})$/.exec(path)?.[1];
    if (runId) {
      const run = await runById(options.db, session.repositories, Number(runId));
      // A run in a repository the reader cannot see is "not found", never "forbidden".
      if (!run)
        return sendPage(
          response,
          404,
          layout(
            "Not found",
            html`<h1>No such run</h1><p><a href="/dashboard/runs">All runs</a></p>`,
            viewer,
          ),
        );
      return page(`Run ${run.id}`, "runs", runPageBody(run, options.github.web, currency));
    }
    if (path === "/dashboard/repositories" || path === "/dashboard/models") {
      const byRepository = path === "/dashboard/repositories";
      const groups = await weeklyStats(
        options.db,
        session.repositories,
        byRepository ? "repository" : "profile",
        options.now?.(),
      );
      const title = byRepository ? "Repositories" : "Models";
      const weekly = weeklyPageBody({
        title,
        groupLabel: byRepository ? "Repository" : "Model profile",
        groups,
        currency,
        weeks: STATS_WEEKS,
      });
      if (byRepository) return page(title, "repositories", weekly);
      const evals = await latestEvalResults(options.db, session.repositories);
      return page(title, "models", html`${weekly}${evalResultsSection(evals, currency)}`);
    }
    return sendPage(response, 404, layout("Not found", html`<h1>Not found</h1>`, viewer));
  }

  async function runsBody(session: Session, url: URL) {
    const text = (name: string) => url.searchParams.get(name)?.trim().slice(0, 200) || undefined;
    const day = (name: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text(name) ?? "") ? text(name) : undefined);
    const filters: RunFilters = {
      repository: text("repository"),
      kind: text("kind"),
      state: text("state"),
      actor: text("actor"),
      from: day("from"),
      to: day("to"),
    };
    const cursor = decodeCursor(text("after"));
    const result = await runsPage(options.db, session.repositories, filters, cursor);
    return runsPageBody({
      ...result,
      filters,
      repositories: session.repositories,
      paged: cursor !== undefined,
      currency,
    });
  }

  async function currentSession(request: IncomingMessage): Promise<Session | undefined> {
    const id = keys.verify(readCookies(request).get(SESSION_COOKIE));
    return id ? sessions.find(id) : undefined;
  }

  function login(response: ServerResponse) {
    if (!signIn) {
      return sendPage(
        response,
        503,
        layout(
          "Sign-in is not set up",
          html`<h1>Sign-in is not set up</h1><div class="notice"><p>The dashboard signs people in with GitHub through this App. Set <code>GITHUB_CLIENT_ID</code> and <code>GITHUB_CLIENT_SECRET</code> to the client id and a client secret from the App's settings page, add <code>${options.publicUrl.replace(/\/$/, "")}/dashboard/auth/callback</code> as its callback URL, and restart (docs/app.md, "Dashboard").</p></div>`,
        ),
      );
    }
    const { location, cookie } = startSignIn(signIn);
    redirect(response, location, [cookie]);
  }

  async function callback(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    if (!signIn) return login(response);
    const clearState = clearCookie(STATE_COOKIE, secure);
    try {
      const token = await finishSignIn(signIn, url.searchParams, readCookies(request).get(STATE_COOKIE));
      const session = await sessions.create(token);
      const cookie = setCookie(SESSION_COOKIE, keys.sign(session.id), {
        maxAgeSeconds: SESSION_HOURS * 3600,
        secure,
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

  async function logout(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = keys.verify(readCookies(request).get(SESSION_COOKIE));
    const form = await readForm(request);
    // The token is bound to the session: a page on another site cannot know it.
    if (!id || !keys.checkCsrf(id, form.get("csrf") ?? undefined)) {
      return sendPage(
        response,
        403,
        layout(
          "Refused",
          html`<h1>Refused</h1><p class="notice">This form did not come from your dashboard page (CSRF check). Reload the dashboard and sign out from there.</p>`,
        ),
      );
    }
    await sessions.delete(id);
    redirect(response, "/dashboard/signed-out", [clearCookie(SESSION_COOKIE, secure)]);
  }
}
