import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/**
 * The dashboard's keys, all derived from one secret (SESSION_SECRET, else the App's private key,
 * which every App process already shares): one to sign cookies and CSRF tokens, one to seal the
 * GitHub user tokens kept with sessions.
 */
export class DashboardKeys {
  private readonly signing: Buffer;
  private readonly sealing: Buffer;

  constructor(secret: string) {
    if (secret.length < 32)
      throw new Error("SESSION_SECRET must be at least 32 characters (openssl rand -hex 32)");
    const derive = (info: string) => Buffer.from(hkdfSync("sha256", secret, "inhouse-dashboard", info, 32));
    this.signing = derive("cookie signing");
    this.sealing = derive("token sealing");
  }

  /** `value.signature`, for cookies. */
  sign(value: string): string {
    return `${value}.${this.mac(value)}`;
  }

  /** The value of a signed string, or undefined when it was not signed with this key. */
  verify(signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const at = signed.lastIndexOf(".");
    if (at <= 0) return undefined;
    const value = signed.slice(0, at);
    return equal(signed.slice(at + 1), this.mac(value)) ? value : undefined;
  }

  /** A token bound to one session, for forms that change something. */
  csrfToken(sessionId: string): string {
    return this.mac(`csrf:${sessionId}`);
  }

  checkCsrf(sessionId: string, token: string | undefined): boolean {
    return token !== undefined && equal(token, this.csrfToken(sessionId));
  }

  /** AES-256-GCM: a database dump alone does not give the user tokens away. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.sealing, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".");
  }

  open(sealed: string): string | undefined {
    const [iv, tag, data] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
    if (!iv || !tag || !data) return undefined;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.sealing, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
    } catch {
      return undefined;
    }
  }

  private mac(value: string): string {
    return createHmac("sha256", this.signing).update(value).digest("base64url");
  }
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function randomId(): string {
  return randomBytes(32).toString("base64url");
}
