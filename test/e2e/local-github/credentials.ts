import { createVerify, generateKeyPairSync, randomBytes } from "node:crypto";
import type { PermissionSet } from "./app-manifest.ts";
import type { Clock } from "./clock.ts";
import type { Caller } from "./openapi-route.ts";

/**
 * The test GitHub App (id, private key, webhook secret) and every token the local GitHub has
 * issued. A request is only served for a token issued here, so a client that forgets to send
 * one, or sends it where GitHub would not look, fails the way it would against github.com.
 */
export interface TestApp {
  id: number;
  slug: string;
  /** PEM (PKCS#1), the form GitHub hands out and Probot's `PRIVATE_KEY` takes. */
  privateKey: string;
  webhookSecret: string;
}

/** The App's OAuth client credentials, for the user web flow (`oauth-web-flow.ts`). */
export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export type AuthResult = { ok: true; caller: Caller } | { ok: false; message: string };

/** What an installation token may do, fixed when it is minted. */
export interface InstallationGrant {
  permissions: PermissionSet;
  /** Epoch milliseconds on the local GitHub's clock. */
  expiresAt: number;
  /** Repository ids the token is limited to; undefined: every repository of the installation. */
  repositoryIds?: number[];
}

/**
 * "Installation tokens expire one hour from the time you create them. Using an expired token produces
 * a status code of 401 - Unauthorized" (REST description, "Create an installation access token for an
 * app": https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app).
 */
export const INSTALLATION_TOKEN_LIFETIME_MS = 3600_000;

const JWT_HINT = "an App JWT (RS256, iss = the App id, signed with the App's private key)";

export class Credentials {
  readonly app: TestApp;
  readonly oauth: OAuthClientCredentials = {
    clientId: `Iv1.${randomBytes(8).toString("hex")}`,
    clientSecret: randomBytes(20).toString("hex"),
  };
  private readonly publicKey: string;
  private readonly tokens = new Map<string, Caller>();

  constructor(
    private readonly clock: Clock,
    app: { id?: number; slug?: string } = {},
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    this.publicKey = publicKey;
    this.app = {
      id: app.id ?? 4242,
      slug: app.slug ?? "inhouse-test",
      privateKey,
      webhookSecret: randomBytes(16).toString("hex"),
    };
  }

  /** The login GitHub shows for what the App's installation tokens do. */
  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  /** `text` is for tests that plant a known canary token; GitHub always picks it at random. */
  issueInstallationToken(installationId: number, grant: InstallationGrant, text?: string): string {
    const token = text ?? `ghs_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { kind: "installation", installationId, login: this.botLogin, ...grant });
    return token;
  }

  /** A personal token, for tests that act as a person (a user commenting, opening an issue). */
  issueUserToken(login: string): string {
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { kind: "user", login });
    return token;
  }

  /** A user access token of the App, as the web flow hands out (`ghu_` prefix, like GitHub's). */
  issueUserAccessToken(login: string): string {
    const token = `ghu_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { kind: "user", login, appUser: true });
    return token;
  }

  /** Every token issued so far: scenarios check none of them ever reached the model or a comment. */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** API requests: `Authorization: token X` / `Bearer X`, where X is an issued token or an App JWT. */
  authenticateApi(header: string | undefined): AuthResult {
    const match = /^(token|bearer)\s+(\S+)$/i.exec(header ?? "");
    if (!match) return { ok: false, message: "Requires authentication" };
    const credential = match[2]!;
    const caller = this.tokens.get(credential);
    if (caller) return this.unexpired(caller);
    if (credential.split(".").length === 3) {
      return this.verifyAppJwt(credential)
        ? { ok: true, caller: { kind: "app" } }
        : { ok: false, message: `A JSON web token could not be decoded: expected ${JWT_HINT}` };
    }
    return { ok: false, message: "Bad credentials" };
  }

  /** Git over HTTP: `Authorization: Basic base64(x-access-token:<token>)`, as actions/checkout sends it. */
  authenticateGit(header: string | undefined): AuthResult {
    const match = /^basic\s+(\S+)$/i.exec(header ?? "");
    if (!match) return { ok: false, message: "git needs Authorization: Basic x-access-token:<token>" };
    const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
    const token = decoded.slice(decoded.indexOf(":") + 1);
    const caller = this.tokens.get(token);
    if (!caller) return { ok: false, message: "Invalid username or token." };
    const checked = this.unexpired(caller);
    return checked.ok ? checked : { ok: false, message: "Invalid username or token." };
  }

  private unexpired(caller: Caller): AuthResult {
    if (caller.kind === "installation" && caller.expiresAt <= this.clock.now()) {
      return { ok: false, message: "Bad credentials" };
    }
    return { ok: true, caller };
  }

  private verifyAppJwt(jwt: string): boolean {
    const [headerPart, payloadPart, signaturePart] = jwt.split(".") as [string, string, string];
    try {
      const header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as { alg?: string };
      const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as {
        iss?: string | number;
        exp?: number;
        iat?: number;
      };
      if (header.alg !== "RS256" || String(payload.iss) !== String(this.app.id)) return false;
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (typeof payload.exp !== "number" || payload.exp < nowSeconds) return false;
      const verifier = createVerify("RSA-SHA256");
      verifier.update(`${headerPart}.${payloadPart}`);
      return verifier.verify(this.publicKey, Buffer.from(signaturePart, "base64url"));
    } catch {
      return false;
    }
  }
}
