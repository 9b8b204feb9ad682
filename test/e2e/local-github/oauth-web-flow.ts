import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Credentials } from "./credentials.ts";
import type { GitHubState } from "./state.ts";

/**
 * GitHub's web application flow for a GitHub App's user access tokens, as strict as github.com:
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app
 * Pages: `/login` + `POST /session` (signing in to the local GitHub), `/login/oauth/authorize`
 * (consent, then a redirect with `code` and `state`), `POST /login/oauth/access_token` (code → token).
 */
export const OAUTH_PATH = /^\/(login|session|login\/oauth\/authorize|login\/oauth\/access_token)$/;

/** "The code will expire after 10 minutes" (the page above, step 2). */
export const CODE_TTL_MS = 10 * 60_000;
/** "By default, the user access token expires after 8 hours" (the page above). */
export const USER_TOKEN_TTL_S = 8 * 3600;
/** Refresh tokens are valid for 6 months (15,897,600 s in GitHub's example response). */
const REFRESH_TOKEN_TTL_S = 15_897_600;

interface IssuedCode {
  login: string;
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

const ERRORS_DOC =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors";

export class OAuthWebFlow {
  /** The App's registered callback URLs; the first is used when a request names none. */
  callbackUrls: string[] = [];
  private readonly passwords = new Map<string, string>();
  private readonly browserSessions = new Map<string, string>();
  private readonly authorized = new Set<string>();
  private readonly codes = new Map<string, IssuedCode>();
  /** Every exchange attempt and how it was answered, for tests of the rules. */
  readonly exchanges: { code: string; error?: string }[] = [];

  constructor(
    private readonly credentials: Credentials,
    private readonly state: GitHubState,
    /** The clock codes expire by; a test moves it. */
    public now: () => number = Date.now,
  ) {}

  /** A password for `login` on the local GitHub's sign-in page (a browser test types it). */
  password(login: string): string {
    this.state.user(login);
    let password = this.passwords.get(login);
    if (!password) {
      password = randomBytes(9).toString("base64url");
      this.passwords.set(login, password);
    }
    return password;
  }

  async answer(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const method = request.method ?? "GET";
    switch (`${method} ${url.pathname}`) {
      case "GET /login":
        return page(response, 200, loginForm(url.searchParams.get("return_to") ?? "/", ""));
      case "POST /session":
        return this.signIn(response, new URLSearchParams(body.toString("utf8")));
      case "GET /login/oauth/authorize":
        return this.authorize(request, response, url.searchParams, false);
      case "POST /login/oauth/authorize":
        return this.authorize(request, response, new URLSearchParams(body.toString("utf8")), true);
      case "POST /login/oauth/access_token":
        return this.exchange(request, response, url, body);
      default:
        return page(response, 404, "<h1>Not Found</h1>");
    }
  }

  private signIn(response: ServerResponse, form: URLSearchParams) {
    const login = form.get("login") ?? "";
    const returnTo = form.get("return_to") ?? "/";
    const expected = this.passwords.get(login);
    if (!expected || !same(expected, form.get("password") ?? "")) {
      return page(response, 401, loginForm(returnTo, "Incorrect username or password."));
    }
    const session = randomBytes(18).toString("base64url");
    this.browserSessions.set(session, login);
    response
      .writeHead(302, {
        location: returnTo.startsWith("/") ? returnTo : "/",
        "set-cookie": `user_session=${session}; Path=/; HttpOnly; SameSite=Lax`,
      })
      .end();
  }

  private async authorize(
    request: IncomingMessage,
    response: ServerResponse,
    params: URLSearchParams,
    consenting: boolean,
  ): Promise<void> {
    const { clientId } = this.credentials.oauth;
    // An unknown client_id: GitHub shows a 404 page.
    if (params.get("client_id") !== clientId) return page(response, 404, "<h1>Not Found</h1>");
    const state = params.get("state") ?? "";
    const registered = this.callbackUrls[0];
    if (!registered) return page(response, 422, "<h1>This App has no callback URL</h1>");
    const asked = params.get("redirect_uri");
    // "redirect_uri … must exactly match one of the URLs you provided as a Callback URL" (the page
    // above); otherwise the user goes to the first callback URL with error=redirect_uri_mismatch
    // (https://docs.github.com/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors).
    if (asked !== null && !this.callbackUrls.includes(asked)) {
      return redirect(
        response,
        withQuery(registered, {
          error: "redirect_uri_mismatch",
          error_description: "The redirect_uri MUST match the registered callback URL for this application.",
          state,
        }),
      );
    }
    const redirectUri = asked ?? registered;
    const login = this.browserUser(request);
    if (!login) {
      const back = `/login/oauth/authorize?${params.toString()}`;
      return redirect(response, `/login?return_to=${encodeURIComponent(back)}`);
    }
    // The first time, the user is asked to authorize the App; after that GitHub redirects at once.
    if (!this.authorized.has(login)) {
      if (!consenting) return page(response, 200, consentForm(params));
      this.authorized.add(login);
    }
    const code = randomBytes(10).toString("hex");
    this.codes.set(code, { login, clientId, redirectUri, expiresAt: this.now() + CODE_TTL_MS });
    redirect(response, withQuery(redirectUri, { code, state }));
  }

  private exchange(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer) {
    const params = readParams(request, url, body);
    const code = params.get("code") ?? "";
    const fail = (error: string, description: string) => {
      this.exchanges.push({ code, error });
      // GitHub answers these with 200 and an error body (the troubleshooting page above).
      answerToken(request, response, { error, error_description: description, error_uri: ERRORS_DOC });
    };
    const { clientId, clientSecret } = this.credentials.oauth;
    if (params.get("client_id") !== clientId || !same(params.get("client_secret") ?? "", clientSecret)) {
      return fail("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    }
    const issued = this.codes.get(code);
    // A code is single use: gone once exchanged, whatever the outcome after this point.
    this.codes.delete(code);
    if (!issued || issued.clientId !== clientId || issued.expiresAt < this.now()) {
      return fail("bad_verification_code", "The code passed is incorrect or expired.");
    }
    const redirectUri = params.get("redirect_uri");
    if (redirectUri !== null && redirectUri !== issued.redirectUri) {
      return fail(
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
      );
    }
    this.exchanges.push({ code });
    answerToken(request, response, {
      access_token: this.credentials.issueUserAccessToken(issued.login),
      expires_in: USER_TOKEN_TTL_S,
      refresh_token: `ghr_${randomBytes(30).toString("base64url")}`,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
      scope: "",
      token_type: "bearer",
    });
  }

  private browserUser(request: IncomingMessage): string | undefined {
    const cookie = /(?:^|;\s*)user_session=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
    return cookie ? this.browserSessions.get(cookie) : undefined;
  }
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The token endpoint takes form or JSON bodies, and query parameters. */
function readParams(request: IncomingMessage, url: URL, body: Buffer): URLSearchParams {
  const params = new URLSearchParams(url.searchParams);
  const text = body.toString("utf8");
  if (!text) return params;
  if ((request.headers["content-type"] ?? "").includes("json")) {
    for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
      if (typeof value === "string") params.set(key, value);
    }
  } else {
    for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
  }
  return params;
}

/** JSON with `Accept: application/json`; otherwise form-encoded, GitHub's default. */
function answerToken(
  request: IncomingMessage,
  response: ServerResponse,
  body: Record<string, string | number>,
): void {
  if ((request.headers.accept ?? "").includes("application/json")) {
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
    return;
  }
  const form = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
  response
    .writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" })
    .end(form.toString());
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location }).end();
}

const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(response: ServerResponse, status: number, body: string): void {
  response
    .writeHead(status, { "content-type": "text/html; charset=utf-8" })
    .end(
      `<!doctype html><html><head><meta charset="utf-8"><title>GitHub</title></head><body>${body}</body></html>`,
    );
}

function loginForm(returnTo: string, error: string): string {
  return `<h1>Sign in to GitHub</h1>${error ? `<p role="alert">${escapeText(error)}</p>` : ""}
<form method="post" action="/session"><input type="hidden" name="return_to" value="${escapeText(returnTo)}">
<label>Username or email address <input name="login" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`;
}

function consentForm(params: URLSearchParams): string {
  const hidden = [...params]
    .map(([k, v]) => `<input type="hidden" name="${escapeText(k)}" value="${escapeText(v)}">`)
    .join("");
  return `<h1>Authorize the App</h1><p>It will act on your behalf where you and the App both have access.</p>
<form method="post" action="/login/oauth/authorize">${hidden}<button type="submit" name="authorize" value="1">Authorize</button></form>`;
}
