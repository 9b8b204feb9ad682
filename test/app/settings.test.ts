import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readSettings } from "../../app/settings.ts";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

describe("readSettings", () => {
  it("is in setup mode with nothing configured", () => {
    expect(readSettings({})).toEqual({ ok: true, settings: { mode: "setup", port: 3000 } });
  });

  it("serves with an App ID, a key and a secret", () => {
    expect(
      readSettings({ APP_ID: "12", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s", PORT: "8080", HOST: "0.0.0.0" }),
    ).toEqual({
      ok: true,
      settings: {
        mode: "serve",
        appId: 12,
        port: 8080,
        host: "0.0.0.0",
        webhookPath: "/api/github/webhooks",
      },
    });
  });

  it("reads the App-wide default runner repository, and names the fix for a malformed one", () => {
    const serve = { APP_ID: "12", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s" };
    expect(readSettings({ ...serve, INHOUSE_DEFAULT_RUNNER_REPO: "acme/agent-runners" })).toMatchObject({
      ok: true,
      settings: { defaultRunnerRepo: "acme/agent-runners" },
    });
    for (const bad of ["agent-runners", "https://github.com/acme/agent-runners", "acme/a/b"]) {
      const read = readSettings({ ...serve, INHOUSE_DEFAULT_RUNNER_REPO: bad });
      expect(read.ok).toBe(false);
      expect(!read.ok && read.problems.join("\n")).toContain(
        "INHOUSE_DEFAULT_RUNNER_REPO must be owner/name",
      );
    }
  });

  it("accepts the key with \\n escapes and as base64", () => {
    for (const key of [pem.replaceAll("\n", "\\n"), Buffer.from(pem).toString("base64")]) {
      expect(readSettings({ APP_ID: "12", PRIVATE_KEY: key, WEBHOOK_SECRET: "s" }).ok).toBe(true);
    }
  });

  it.each([
    [{ APP_ID: "12", WEBHOOK_SECRET: "s" }, "PRIVATE_KEY is missing"],
    [
      {
        APP_ID: "12",
        PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nnope\n-----END RSA PRIVATE KEY-----",
        WEBHOOK_SECRET: "s",
      },
      "check PRIVATE_KEY",
    ],
    [
      { APP_ID: "12", PRIVATE_KEY_PATH: "/nonexistent/key.pem", WEBHOOK_SECRET: "s" },
      "check PRIVATE_KEY_PATH",
    ],
    [{ APP_ID: "12", PRIVATE_KEY: pem }, "check WEBHOOK_SECRET"],
    [{ APP_ID: "my-app", PRIVATE_KEY: pem, WEBHOOK_SECRET: "s" }, "check APP_ID"],
    [{ PRIVATE_KEY: pem, WEBHOOK_SECRET: "s" }, "APP_ID is missing"],
    [{ NODE_ENV: "production" }, "register the App from the browser"],
    [{ LOG_FORMAT: "xml" }, "LOG_FORMAT must be json or pretty"],
    [{ GHE_HOST: "https://github.example.com/" }, "without https://"],
    [{ PORT: "http" }, "PORT must be a port number"],
  ])("advises on %o", (env, advice) => {
    const read = readSettings(env as NodeJS.ProcessEnv);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problems.join("\n")).toContain(advice);
  });
});
