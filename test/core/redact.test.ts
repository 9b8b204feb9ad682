import { describe, expect, it } from "vitest";
import { createRedactor, MIN_SECRET_LENGTH, REDACTED } from "../../core/redact.ts";

// Fixed, fake values in the shape of real ones; none of them was ever a credential.
const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const modelKey = "local-model-key-9f8e7d6c5b4a";
const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
const base64url = (text: string | Buffer) => Buffer.from(text).toString("base64url");

describe("createRedactor: secrets the run knows", () => {
  const redact = createRedactor([token, modelKey]);

  it("uses *** as the marker, as GitHub Actions does", () => {
    expect(REDACTED).toBe("***");
  });

  it("removes every exact occurrence of every secret", () => {
    expect(redact(`token=${token} key=${modelKey} again ${token}`)).toBe("token=*** key=*** again ***");
  });

  it.each([0, 1, 2, 3, 4, 5])("removes the secret from base64 after %i bytes of other data", (offset) => {
    const encoded = base64(Buffer.concat([Buffer.from("x".repeat(offset)), Buffer.from(token)]));
    const redacted = redact(`header: ${encoded}`);
    expect(redacted).toContain(REDACTED);
    expect(Buffer.from(redacted.slice("header: ".length), "base64").toString("latin1")).not.toContain(
      token.slice(2, -2),
    );
  });

  it.each([0, 1, 2])("removes the secret from base64url at alignment %i", (offset) => {
    const encoded = base64url(Buffer.concat([Buffer.alloc(offset, 0xfb), Buffer.from(modelKey)]));
    expect(redact(encoded)).toContain(REDACTED);
    expect(redact(encoded).length).toBeLessThan(encoded.length / 2);
  });

  it("removes the token from git's x-access-token basic auth header", () => {
    const header = `AUTHORIZATION: basic ${base64(`x-access-token:${token}`)}`;
    expect(redact(header)).toBe("AUTHORIZATION: basic ***");
    // Without the header name only the known-secret rule applies: the prefix stays, the token goes.
    const bare = base64(`x-access-token:${token}`);
    expect(redact(bare).startsWith(base64("x-access-token:").slice(0, 18))).toBe(true);
    expect(redact(bare)).toContain(REDACTED);
  });

  it("removes the token from a user:token credential", () => {
    const redacted = redact(base64(`octocat:${token}`));
    expect(redacted).toMatch(/^b2N0b2NhdD.\*\*\*/);
  });

  it("removes URL-encoded forms, upper- and lowercase", () => {
    const secret = "p@ss w/rd+secret!";
    const redactSpecial = createRedactor([secret]);
    expect(redactSpecial(`https://u:${encodeURIComponent(secret)}@x`)).toBe("https://u:***@x");
    expect(redactSpecial("?p=p%40ss%20w%2frd%2bsecret!")).toBe("?p=***");
  });

  it("removes a multi-line secret whole, line by line and JSON-escaped", () => {
    const secret = "line-one-abc\nline-two-def";
    const redactMultiLine = createRedactor([secret]);
    expect(redactMultiLine(`a ${secret} b`)).toBe("a *** b");
    expect(redactMultiLine("log: line-two-def")).toBe("log: ***");
    expect(redactMultiLine('{"v":"line-one-abc\\nline-two-def"}')).toBe('{"v":"***"}');
  });

  it("ignores secrets shorter than six characters, which would garble ordinary text", () => {
    expect(MIN_SECRET_LENGTH).toBe(6);
    expect(createRedactor(["abc12", ""])("abc12 is a short value")).toBe("abc12 is a short value");
    expect(createRedactor(["abc123"])("abc123 is redacted")).toBe("*** is redacted");
  });

  it("removes a longer secret whole even when a shorter one is inside it", () => {
    expect(createRedactor(["secret-value", "secret-value-extended"])("secret-value-extended")).toBe("***");
  });

  it("leaves text without secrets alone", () => {
    const text = "All 42 tests passed in 3.2s.\nSee https://github.com/acme/widgets/pull/7";
    expect(redact(text)).toBe(text);
  });
});

describe("createRedactor: a known secret in disguise (issue #13, item 4)", () => {
  const redact = createRedactor([modelKey]);
  const hex = Buffer.from(modelKey).toString("hex");
  const entities = [...modelKey].map((ch) => `&#${ch.charCodeAt(0)};`).join("");
  const hexEntities = [...modelKey].map((ch) => `&#x${ch.charCodeAt(0).toString(16)};`).join("");
  const percent = [...modelKey].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join("");

  it.each([
    ["hex", hex],
    ["upper-case hex", hex.toUpperCase()],
    ["reversed", [...modelKey].reverse().join("")],
    ["split over lines", `${modelKey.slice(0, 9)}\n${modelKey.slice(9, 18)}\r\n${modelKey.slice(18)}`],
    ["split by spaces and tabs", `${modelKey.slice(0, 5)} ${modelKey.slice(5, 14)}\t${modelKey.slice(14)}`],
    ["every character percent-encoded", percent],
    ["with zero-width characters between", [...modelKey].join("\u200b")],
    ["with bidi and word-joiner characters", [...modelKey].join("\u2066\u2060")],
    ["as decimal HTML references", entities],
    ["as hex HTML references", hexEntities],
    ["broken by an HTML comment", `${modelKey.slice(0, 10)}<!-- nothing here -->${modelKey.slice(10)}`],
    ["in mixed case", modelKey.toUpperCase()],
  ])("removes it %s", (_, disguised) => {
    const redacted = redact(`before ${disguised} after`);
    expect(redacted).toBe("before *** after");
  });

  it("removes it as named HTML references", () => {
    const redactSymbols = createRedactor(["p@ss/w0rd&key"]);
    expect(redactSymbols("x p&commat;ss&sol;w0rd&amp;key y")).toBe("x *** y");
  });

  it("keeps everything around the disguised secret exactly as it was", () => {
    const text = `a <b>bold</b> 50% &amp; ${hex} <!-- note --> end`;
    expect(redact(text)).toBe("a <b>bold</b> 50% &amp; *** <!-- note --> end");
  });

  it("leaves ordinary encoded text alone", () => {
    const text = "caf%C3%A9 &lt;tag&gt; <!-- a comment --> deadbeef 0123456789abcdef";
    expect(redact(text)).toBe(text);
  });
});

describe("createRedactor: strings shaped like credentials", () => {
  const redact = createRedactor([]);

  it.each([
    ["GitHub personal token", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["GitHub OAuth token", "gho_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["GitHub user-to-server token", "ghu_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["GitHub installation token", "ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["GitHub refresh token", "ghr_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    [
      "GitHub fine-grained token",
      "github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVw",
    ],
    ["AWS access key id", "AKIAIOSFODNN7EXAMPLE"],
    ["AWS temporary key id", "ASIAY34FZKBOKMUTVV7A"],
    ["Slack bot token", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
    ["Slack user token", "xoxp-1234567890-abcdefghij"],
    ["OpenAI key", "sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34"],
    ["legacy OpenAI key", "sk-1a2b3c4d5e6f7g8h9i0jAbCdEfGhIjKlMnOpQrStUvWx"],
    ["Google API key", "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"],
    [
      "JSON Web Token",
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
  ])("removes a %s", (_, secret) => {
    expect(redact(`before ${secret} after`)).toBe("before *** after");
    expect(redact(`"${secret}"`)).toBe('"***"');
  });

  it("removes the AWS secret key and keeps the setting name", () => {
    expect(redact("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toBe(
      "aws_secret_access_key = ***",
    );
    expect(redact('AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"')).toBe(
      'AWS_SECRET_ACCESS_KEY="***"',
    );
  });

  it.each([
    ["Authorization: Bearer abc.def-ghi", "Authorization: Bearer ***"],
    ["authorization: token opaque_value", "authorization: token ***"],
    ['"Authorization": "Basic dXNlcjpwYXNz"', '"Authorization": "Basic ***"'],
    ["curl -H 'Authorization: bearer xyz'", "curl -H 'Authorization: bearer ***'"],
    ["sent Bearer 9f8e7d6c5b4a3f2e1d0c to the API", "sent Bearer *** to the API"],
  ])("removes the credential in %j", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it("removes a password from a URL and keeps the user and host", () => {
    expect(redact("git clone https://x-access-token:opaque-value@github.com/acme/w.git")).toBe(
      "git clone https://x-access-token:***@github.com/acme/w.git",
    );
  });

  it("removes a private key block whole and keeps the text around it", () => {
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabc==\n-----END RSA PRIVATE KEY-----";
    expect(redact(`key:\n${key}\ndone`)).toBe("key:\n***\ndone");
  });

  it("removes each of several key blocks of different kinds", () => {
    const openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----";
    const pgp = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQdGBF==\n-----END PGP PRIVATE KEY BLOCK-----";
    const pkcs8 = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
    expect(redact(`${openssh} a ${pgp} b ${pkcs8}`)).toBe("*** a *** b ***");
  });

  it("removes a key block cut off before its footer to the end of the text", () => {
    expect(redact("log\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrY\n[output truncated]")).toBe("log\n***");
  });

  it("keeps public keys and certificates", () => {
    const cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
    expect(redact(cert)).toBe(cert);
  });
});

describe("createRedactor: no false positives on ordinary text", () => {
  const redact = createRedactor([]);

  it.each([
    ["a git commit hash", "commit 3f786850e387550fdab836ed7e6dc881de23001b"],
    ["a UUID", "request 123e4567-e89b-12d3-a456-426614174000 failed"],
    ["'sk-' inside words", "a risk-free, task-based, disk-backed approach"],
    ["an sk- word without digits", "use sk-learn-compatible-estimators-everywhere"],
    ["prose about bearer tokens", "Bearer authentication sends a Bearer token"],
    ["a bare token prefix", "tokens start with ghp_ or gho_"],
    ["a lowercase akia word", "akiaiosfodnn7example is not a key id"],
    [
      "an npm integrity hash",
      "sha512-Uv4yY3KcEFPHzVhB7ayV2eS6I6BpJxcx4F7Gd4Cgp+r2tSEF2FGbgJ2c2z5GhWh4Q9L1Z8mD2jP7rJkP/0e1zg==",
    ],
    ["a URL without a password", "https://user@example.com/path and https://example.com:8443/x"],
    ["source code", "const key = process.env.API_KEY;\nif (!key) throw new Error('set API_KEY');"],
  ])("keeps %s", (_, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe("createRedactor: cost", () => {
  const secrets = Array.from({ length: 10 }, (_, i) => `run-secret-${i}-${"x".repeat(20)}${i}`);
  const redact = createRedactor(secrets);

  // Linear passes take tens of milliseconds; a backtracking pattern on 1 MB takes minutes. The bound
  // separates the two with room for a loaded CI machine: this checks behaviour, not speed.
  const LINEAR_BOUND_MS = 2_000;

  function bestOfThree(text: string): number {
    redact(text);
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      redact(text);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  }

  it("redacts 1 MB of log text with ten known secrets without backtracking blow-up", () => {
    const line = `2026-11-29T02:00:00Z step 12 ok ${secrets[3]} sha 3f786850e387550fdab836ed7e6dc881de23001b\n`;
    const text = line.repeat(Math.ceil(1_000_000 / line.length));
    expect(redact(text)).not.toContain(secrets[3]);
    expect(bestOfThree(text)).toBeLessThan(LINEAR_BOUND_MS);
  });

  it.each([
    ["token prefixes", "ghp_ github_pat_ xoxb- "],
    ["sk- runs without digits", `sk-${"a".repeat(200)} `],
    ["unclosed key headers", "-----BEGIN RSA PRIVATE KEY-----"],
    ["near-miss JWTs", "eyJhbGciOiJIUzI1NiJ9.eyJ "],
    ["URLs without @", "https://user:password/path "],
    ["dotted words", "a.b.c.d.e.f.g.h.i.j."],
    ["Bearer without a token", "Bearer Bearer Bearer "],
    ["AWS key names without values", "aws_secret_access_key= "],
  ])("stays linear on 1 MB of %s", (_, unit) => {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    expect(bestOfThree(text)).toBeLessThan(LINEAR_BOUND_MS);
  });
});
