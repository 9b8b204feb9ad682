import type { TokenExchangeOptions } from "./task-token-route.ts";

/** github.com's OIDC issuer for Actions (https://docs.github.com/en/actions/reference/security/oidc). */
export const GITHUB_COM_OIDC_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * Whose tokens the exchange accepts and for which audience: the issuer is github.com's, or on GitHub
 * Enterprise Server `https://<GHE_HOST>/_services/token`; `OIDC_ISSUER` overrides both. The audience
 * is the App's own public address, which the job passes to `core.getIDToken` (action input app-url).
 */
export function tokenExchangeSettings(env: NodeJS.ProcessEnv, publicUrl: string): TokenExchangeOptions {
  const issuer =
    env.OIDC_ISSUER?.trim() ||
    (env.GHE_HOST ? `https://${env.GHE_HOST}/_services/token` : GITHUB_COM_OIDC_ISSUER);
  try {
    new URL(issuer);
  } catch {
    throw new Error(
      `OIDC_ISSUER must be the Actions OIDC issuer URL, e.g. ${GITHUB_COM_OIDC_ISSUER} (got "${issuer}")`,
    );
  }
  return { issuer: issuer.replace(/\/$/, ""), audience: publicUrl.replace(/\/$/, "") };
}
