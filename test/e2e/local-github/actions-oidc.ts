import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { Clock } from "./clock.ts";
import type { RunRecord } from "./state.ts";

/**
 * GitHub Actions' OIDC provider, as a GitHub Enterprise Server serves it: issuer
 * `https://HOSTNAME/_services/token`, keys at `<issuer>/.well-known/jwks`
 * (https://docs.github.com/en/enterprise-server@latest/actions/reference/security/oidc, "Standard
 * audience, issuer, and subject claims"; github.com's issuer is https://token.actions.githubusercontent.com).
 *
 * Rules, each from that page unless noted:
 * - A job gets `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` only when its workflow
 *   grants `id-token: write` (`workflow-file.ts`); the request token is the job's own and stops working
 *   when the run completes.
 * - The token is requested as `GET <request url>&audience=<aud>` with `Authorization: Bearer <request
 *   token>` and answered `{ "value": "<jwt>" }` (@actions/core `OidcClient.getIDToken`).
 * - `aud` is the requested audience, by default the URL of the repository owner.
 * - Claims: iss, sub (`repo:<owner>/<repo>:ref:<ref>`), aud, exp, iat, nbf, jti (unique per token),
 *   actor, event_name, ref, repository, repository_id, repository_owner, run_id, run_attempt,
 *   run_number, sha, workflow, workflow_ref, job_workflow_ref, runner_environment.
 * - RS256, with `kid` naming the key in the JWKS. Lifetime as github/actions-oidc-debugger's README
 *   shows a real token: nbf = iat − 300 s, exp = iat + 6 h.
 */
export const OIDC_PATH = /^\/_services\/token(\/|$)/;
const NOT_BEFORE_SKEW_S = 300;
const LIFETIME_S = 6 * 60 * 60;

export interface IdTokenOptions {
  audience?: string;
  /** Override claims (a test forging a token for another repository or run). */
  claims?: Record<string, unknown>;
  /** Seconds from now; negative for an already expired token. */
  expiresInSeconds?: number;
}

export class ActionsOidc {
  private readonly requestTokens = new Map<string, RunRecord>();
  readonly minted: { jti: string; runId: number; audience: string }[] = [];

  private constructor(
    private readonly clock: Clock,
    private readonly key: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"],
    private readonly jwk: JWK,
    private readonly baseUrl: () => string,
  ) {}

  static async create(clock: Clock, baseUrl: () => string): Promise<ActionsOidc> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: randomUUID(), alg: "RS256", use: "sig" };
    return new ActionsOidc(clock, privateKey, jwk, baseUrl);
  }

  get issuer(): string {
    return `${this.baseUrl()}/_services/token`;
  }

  /** The variables the runner gives a job whose workflow grants `id-token: write`; none otherwise. */
  jobEnvironment(run: RunRecord): Record<string, string> {
    if (!run.idTokenWrite) return {};
    const token = randomBytes(24).toString("base64url");
    this.requestTokens.set(token, run);
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.issuer}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: token,
    };
  }

  /** A token for `run` as the provider signs it; tests use the options to make bad ones. */
  async mint(run: RunRecord, options: IdTokenOptions = {}): Promise<string> {
    const iat = Math.floor(this.clock.now() / 1000);
    const owner = run.repo.owner.login;
    const repository = `${owner}/${run.repo.name}`;
    const ref = `refs/heads/${run.headBranch}`;
    const workflowRef = `${repository}/.github/workflows/${run.workflowFile}@${ref}`;
    const audience = options.audience ?? `${this.baseUrl()}/${owner}`;
    const jti = randomUUID();
    this.minted.push({ jti, runId: run.id, audience });
    return new SignJWT({
      actor: run.actor.login,
      event_name: run.event,
      ref,
      repository,
      repository_id: String(run.repo.id),
      repository_owner: owner,
      run_id: String(run.id),
      run_attempt: "1",
      run_number: String(run.runNumber),
      sha: run.headSha,
      workflow: run.workflowName,
      workflow_ref: workflowRef,
      job_workflow_ref: workflowRef,
      runner_environment: "self-hosted",
      ...options.claims,
    })
      .setProtectedHeader({ alg: "RS256", kid: this.jwk.kid!, typ: "JWT" })
      .setIssuer(this.issuer)
      .setSubject(`repo:${repository}:ref:${ref}`)
      .setAudience(audience)
      .setJti(jti)
      .setIssuedAt(iat)
      .setNotBefore(iat - NOT_BEFORE_SKEW_S)
      .setExpirationTime(iat + (options.expiresInSeconds ?? LIFETIME_S))
      .sign(this.key);
  }

  async answer(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, body: unknown): void => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const path = url.pathname.replace(/^\/_services\/token/, "");
    if (request.method === "GET" && path === "/.well-known/openid-configuration") {
      return send(200, {
        issuer: this.issuer,
        jwks_uri: `${this.issuer}/.well-known/jwks`,
        subject_types_supported: ["public", "pairwise"],
        response_types_supported: ["id_token"],
        id_token_signing_alg_values_supported: ["RS256"],
        scopes_supported: ["openid"],
      });
    }
    if (request.method === "GET" && path === "/.well-known/jwks") return send(200, { keys: [this.jwk] });
    if (request.method === "GET" && path === "/idtoken") {
      const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
      const run = bearer ? this.requestTokens.get(bearer) : undefined;
      if (!run || run.status === "completed") return send(401, { message: "Bad credentials" });
      const audience = url.searchParams.get("audience") ?? undefined;
      return send(200, { value: await this.mint(run, audience ? { audience } : {}) });
    }
    return send(404, { message: "Not Found" });
  }
}
