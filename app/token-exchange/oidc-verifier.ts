import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";

/**
 * The claims of a GitHub Actions OIDC token the exchange relies on
 * (https://docs.github.com/en/actions/reference/security/oidc, "Custom claims provided by GitHub").
 */
export interface ActionsClaims extends JWTPayload {
  jti: string;
  exp: number;
  repository: string;
  run_id: string;
  event_name: string;
  actor: string;
  workflow_ref?: string;
  job_workflow_ref?: string;
}

export class TokenRefused extends Error {
  override name = "TokenRefused";
  constructor(
    readonly status: 400 | 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export interface OidcVerifierOptions {
  /** `https://token.actions.githubusercontent.com`, or `https://<host>/_services/token` on GitHub Enterprise Server. */
  issuer: string;
  /** What the job asked for with `core.getIDToken(audience)`: this App's public URL. */
  audience: string;
}

/**
 * Verifies a job's OIDC token with jose: RS256 signature against the issuer's published keys
 * (`<issuer>/.well-known/jwks`, fetched and cached by `createRemoteJWKSet`, refetched for an unknown
 * `kid`), issuer, audience, `exp`/`nbf`, and the claims the exchange needs.
 */
export function createOidcVerifier(options: OidcVerifierOptions) {
  const keys = createRemoteJWKSet(new URL(`${options.issuer.replace(/\/$/, "")}/.well-known/jwks`));
  return async function verify(token: string): Promise<ActionsClaims> {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ["RS256"],
        requiredClaims: ["jti", "exp", "iat", "repository", "run_id", "event_name", "actor"],
      });
      return payload as ActionsClaims;
    } catch (error) {
      throw new TokenRefused(401, `the OIDC token is not valid: ${describe(error)}`);
    }
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "it has expired; request a new one with core.getIDToken";
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return "its signature does not match the issuer's published keys";
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `claim ${error.claim} is wrong (${error.reason}); the job must request the token with the App's URL as audience (action input app-url)`;
  }
  return (error as Error).message;
}
