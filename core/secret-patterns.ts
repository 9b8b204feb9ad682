/**
 * Strings shaped like credentials, redacted from everything the agent writes even when the run
 * was never told the value (a token the model found in a file, a key pasted into an issue).
 *
 * Every pattern starts at a fixed prefix or behind a look-behind boundary and uses character
 * classes that cannot overlap where they meet, so a megabyte of near-misses costs linear time.
 */

/** What a secret becomes: the same marker GitHub Actions uses when it masks a secret in a log. */
export const REDACTED = "***";

export interface SecretPattern {
  name: string;
  /** Global. When it has a capture group 1, that part (a header name, a URL's user) is kept. */
  pattern: RegExp;
}

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    name: "GitHub token",
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  },
  {
    name: "AWS access key id",
    pattern:
      /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|AROA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    name: "AWS secret access key",
    pattern: /(aws_secret_access_key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/gi,
  },
  { name: "Slack token", pattern: /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/g },
  {
    // `sk-` keys are random: demanding a digit keeps prose such as "sk-learn-compatible" out.
    name: "OpenAI-style key",
    pattern: /(?<![A-Za-z0-9_-])sk-(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}/g,
  },
  { name: "Google API key", pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g },
  {
    // Header and payload are base64 of JSON objects, so both start with `eyJ` (`{"`).
    name: "JSON Web Token",
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  },
  {
    name: "Authorization header",
    pattern: /(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[^\s"'<>]+/gi,
  },
  {
    // Outside a header, "Bearer" is often prose; a token has a digit and some length.
    name: "Bearer token",
    pattern: /(\bBearer\s+)(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{12,}=*/g,
  },
  {
    name: "password in a URL",
    pattern: /((?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/@]+:)[^\s@/]+(?=@)/g,
  },
];

const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g;
const PRIVATE_KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g;

/** A private key block goes whole, header to footer; one cut off before its footer goes to the end. */
export function redactPrivateKeyBlocks(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  for (let begin = PRIVATE_KEY_BEGIN.exec(text); begin; begin = PRIVATE_KEY_BEGIN.exec(text)) {
    PRIVATE_KEY_END.lastIndex = PRIVATE_KEY_BEGIN.lastIndex;
    const end = PRIVATE_KEY_END.exec(text);
    parts.push(text.slice(copied, begin.index), REDACTED);
    copied = end ? PRIVATE_KEY_END.lastIndex : text.length;
    PRIVATE_KEY_BEGIN.lastIndex = copied;
    if (!end) break;
  }
  return parts.length === 0 ? text : parts.join("") + text.slice(copied);
}

export function redactSecretShapes(text: string): string {
  let redacted = redactPrivateKeyBlocks(text);
  for (const { pattern } of SECRET_PATTERNS) {
    redacted = redacted.replace(pattern, (_match, kept: unknown) =>
      typeof kept === "string" ? `${kept}${REDACTED}` : REDACTED,
    );
  }
  return redacted;
}
