import { decodeJwt, generateKeyPair, SignJWT } from "jose";

export interface ExchangeAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What the action does with its OIDC token: `POST <app>/api/task-token` (`action/github/task-token.ts`). */
export async function exchangeOidcToken(
  appUrl: string,
  oidcToken: string,
  repository?: string,
): Promise<ExchangeAnswer> {
  const response = await fetch(`${appUrl}/api/task-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ oidcToken, ...(repository ? { repository } : {}) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A real token's claims with one changed, the issuer's signature kept: what editing a token gives. */
export function editedClaims(token: string, changes: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  const claims = { ...decodeJwt(token), ...changes };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

/** The same claims and key id, signed with a key the issuer never published. */
export async function signedWithForeignKey(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair("RS256");
  const header = JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()) as { kid: string };
  return new SignJWT({ ...decodeJwt(token), jti: `forged-${Date.now()}` })
    .setProtectedHeader({ alg: "RS256", kid: header.kid })
    .sign(privateKey);
}
