import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readIntakeSettings } from "../../../app/intake/settings.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "intake-settings-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("intake settings (INHOUSE_INTAKE_FILE)", () => {
  it("are off without the file", () => {
    expect(readIntakeSettings({})).toEqual({ ok: true, settings: undefined });
  });

  it("read the mappings, and the secrets from the environment", async () => {
    const path = await file(
      "good.yml",
      [
        "sentry:",
        "  projects:",
        "    front-end: { repo: acme/web, actor: alice }",
        "slack:",
        "  users: { U024BE7LH: alice }",
        "api:",
        "  callers:",
        `    - { name: deploy-bot, tokenSha256: ${"a".repeat(64)}, actor: alice, repos: [acme/*] }`,
      ].join("\n"),
    );
    const read = readIntakeSettings({
      INHOUSE_INTAKE_FILE: path,
      SENTRY_CLIENT_SECRET: "s",
      SLACK_SIGNING_SECRET: "t",
    });
    expect(read).toMatchObject({
      ok: true,
      settings: {
        sentrySecret: "s",
        slackSecret: "t",
        sentry: { projects: { "front-end": { repo: "acme/web", actor: "alice" } } },
        api: { callers: [{ name: "deploy-bot", repos: ["acme/*"] }] },
      },
    });
  });

  it("name the secret that is missing for a configured source", async () => {
    const path = await file(
      "sentry.yml",
      "sentry: { projects: { web: { repo: acme/web, actor: alice } } }\n",
    );
    const read = readIntakeSettings({ INHOUSE_INTAKE_FILE: path });
    expect(read).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/SENTRY_CLIENT_SECRET is missing/)],
    });
  });

  it("name the field and the fix when the file is wrong: a plain token instead of its hash, a URL as repo", async () => {
    const path = await file(
      "bad.yml",
      "api: { callers: [ { name: x, tokenSha256: hunter2, actor: alice, repos: [acme/web] } ] }\nsentry: { projects: { web: { repo: 'https://github.com/acme/web', actor: alice } } }\n",
    );
    const read = readIntakeSettings({ INHOUSE_INTAKE_FILE: path, SENTRY_CLIENT_SECRET: "s" });
    expect(read.ok).toBe(false);
    const text = read.ok ? "" : read.problems.join("\n");
    expect(text).toMatch(/INHOUSE_INTAKE_FILE/);
    expect(text).toMatch(/api\.callers\[0\]\.tokenSha256.*sha256sum/);
    expect(text).toMatch(/sentry\.projects\.web\.repo.*owner\/name/);
  });

  it("report a file that cannot be read", () => {
    const read = readIntakeSettings({ INHOUSE_INTAKE_FILE: join(dir, "missing.yml") });
    expect(read).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/cannot read the intake file/)],
    });
  });
});
