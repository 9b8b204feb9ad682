import type { IncomingMessage } from "node:http";
import type { Kysely } from "kysely";
import type { Database } from "../../store/schema.ts";
import { readCookies } from "./cookies.ts";
import type { GitHubUrls } from "./github-user.ts";
import type { OAuthClient, SignInContext } from "./oauth.ts";
import { DashboardKeys } from "./secrets.ts";
import { SESSION_COOKIE, type Session, SessionStore } from "./sessions.ts";

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

/** What every dashboard route reads: the options, the keys, the sessions and sign-in's settings. */
export interface DashboardContext {
  options: DashboardOptions;
  keys: DashboardKeys;
  sessions: SessionStore;
  /** Cookies carry `Secure` when the dashboard is served over HTTPS. */
  secure: boolean;
  currency: string;
  /** Absent when the App has no OAuth client: sign-in then explains how to set it up. */
  signIn?: SignInContext;
}

export function dashboardContext(options: DashboardOptions): DashboardContext {
  const keys = new DashboardKeys(options.secret);
  const secure = options.publicUrl.startsWith("https://");
  return {
    options,
    keys,
    sessions: new SessionStore(options.db, keys, options.github.api, options.now),
    secure,
    currency: options.currency ?? "$",
    ...(options.oauth
      ? {
          signIn: {
            oauth: options.oauth,
            api: options.github.api,
            publicUrl: options.publicUrl,
            sign: (v: string) => keys.sign(v),
            verify: (v: string | undefined) => keys.verify(v),
            secure,
          },
        }
      : {}),
  };
}

/** The signed-in session this request's cookie names, if it is genuine and still open. */
export async function currentSession(
  context: DashboardContext,
  request: IncomingMessage,
): Promise<Session | undefined> {
  const id = context.keys.verify(readCookies(request).get(SESSION_COOKIE));
  return id ? context.sessions.find(id) : undefined;
}
