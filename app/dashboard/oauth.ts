import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from "@octokit/oauth-methods";
import { setCookie } from "./cookies.ts";
import { userOctokit } from "./github-user.ts";
import { randomId } from "./secrets.ts";

export const STATE_COOKIE = "inhouse_oauth_state";
/** GitHub's authorization codes live 10 minutes; the state cookie no longer. */
const STATE_TTL_S = 600;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface SignInContext {
  oauth: OAuthClient;
  api: string;
  /** The dashboard's public base URL; the callback is registered on the App as `<base>/dashboard/auth/callback`. */
  publicUrl: string;
  sign(value: string): string;
  verify(signed: string | undefined): string | undefined;
  secure: boolean;
}

export function callbackUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/$/, "")}/dashboard/auth/callback`;
}

/**
 * Step 1 of GitHub's web flow: a random `state`, kept in a signed HTTP-only cookie, and the
 * browser sent to GitHub's authorize page.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app#using-the-web-application-flow-to-generate-a-user-access-token
 */
export function startSignIn(ctx: SignInContext): { location: string; cookie: string } {
  const state = randomId();
  const { url } = getWebFlowAuthorizationUrl({
    clientType: "github-app",
    clientId: ctx.oauth.clientId,
    redirectUrl: callbackUrl(ctx.publicUrl),
    state,
    request: userOctokit(ctx.api).request,
  });
  const expires = Date.now() + STATE_TTL_S * 1000;
  const cookie = setCookie(STATE_COOKIE, ctx.sign(`${state}|${expires}`), {
    maxAgeSeconds: STATE_TTL_S,
    secure: ctx.secure,
  });
  return { location: url, cookie };
}

export class SignInRefused extends Error {}

/**
 * Step 2: the callback. The `state` must be the one this browser was given (a forged callback
 * carries another), then the code is exchanged once for the user's token.
 */
export async function finishSignIn(
  ctx: SignInContext,
  query: URLSearchParams,
  stateCookie: string | undefined,
): Promise<string> {
  const error = query.get("error");
  if (error)
    throw new SignInRefused(`GitHub did not sign you in (${error}): ${query.get("error_description") ?? ""}`);
  const expected = ctx.verify(stateCookie);
  const [state, expires] = expected?.split("|") ?? [];
  if (!state || !expires || Number(expires) < Date.now() || state !== query.get("state")) {
    throw new SignInRefused(
      "this sign-in link is not the one this browser started, or it expired; sign in again",
    );
  }
  const code = query.get("code");
  if (!code) throw new SignInRefused("GitHub sent no code; sign in again");
  try {
    const { authentication } = await exchangeWebFlowCode({
      clientType: "github-app",
      clientId: ctx.oauth.clientId,
      clientSecret: ctx.oauth.clientSecret,
      code,
      redirectUrl: callbackUrl(ctx.publicUrl),
      request: userOctokit(ctx.api).request,
    });
    return authentication.token;
  } catch (failure) {
    throw new SignInRefused(
      `GitHub refused the sign-in code (${(failure as Error).message}). If this repeats, check GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET.`,
    );
  }
}
