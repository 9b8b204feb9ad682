import { createHmac, generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigurationError, type Started, start } from "../../app/start.ts";
import { TestOctokit } from "../e2e/helpers/app-under-test.ts";
import { freePort } from "../helpers/free-port.ts";
import { webhookExample as example } from "../helpers/webhook-examples.ts";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();

let server: Server | undefined;
let history: Started["history"];
const dataDirs: string[] = [];
afterEach(async () => {
  await server?.stop();
  await history?.close();
  server = undefined;
  history = undefined;
  for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-start-"));
  dataDirs.push(dir);
  return dir;
}

describe("npm start", () => {
  it("unconfigured: serves Probot's registration page with the manifest from app.yml", async () => {
    const port = await freePort();
    ({ server } = await start({
      env: { PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "fatal" },
    }));
    const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
    expect(root.headers.get("location")).toBe("/probot");
    const page = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
    const manifest = JSON.parse((/value='([^']+)'/.exec(page)?.[1] ?? "{}").replaceAll("&quot;", '"'));
    expect(manifest.default_events).toEqual([
      "issues",
      "issue_comment",
      "pull_request",
      "workflow_run",
      "pull_request_review",
      "pull_request_review_comment",
      "check_run",
    ]);
    expect(manifest.default_permissions).toEqual({
      issues: "write",
      pull_requests: "write",
      contents: "write",
      actions: "write",
      checks: "read",
      metadata: "read",
    });
    expect(manifest.public).toBe(false);
    expect(manifest.redirect_url).toBe(`http://127.0.0.1:${port}/probot/setup`);
  });

  it("unconfigured: answers /healthz and /metrics before the App is registered, and 404 elsewhere", async () => {
    const port = await freePort();
    ({ server } = await start({
      env: { PORT: String(port), HOST: "127.0.0.1", NO_SMEE_SETUP: "true", LOG_LEVEL: "fatal" },
    }));
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", mode: "setup" });
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);
    // Nothing else appeared: no webhook route in setup mode, unknown paths stay 404.
    expect((await fetch(`http://127.0.0.1:${port}/no-such-page`)).status).toBe(404);
  });

  it("configured: serves webhooks at the webhook path and at the root, /healthz and /metrics", async () => {
    const port = await freePort();
    let queue: Started["queue"];
    ({ server, queue, history } = await start({
      env: {
        INHOUSE_DATA_DIR: await dataDir(),
        APP_ID: "1",
        PRIVATE_KEY: pem,
        WEBHOOK_SECRET: "sec",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "fatal",
      },
      Octokit: TestOctokit,
    }));
    const body = JSON.stringify(example("installation", "deleted"));
    const signature = `sha256=${createHmac("sha256", "sec").update(body).digest("hex")}`;
    for (const path of ["/api/github/webhooks", "/"]) {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "installation",
          "x-github-delivery": `d-${path}`,
          "x-hub-signature-256": signature,
        },
        body,
      });
      expect(response.status).toBe(200);
    }
    await queue.idle();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('inhouse_webhook_deliveries_total{event="installation",outcome="logged"} 2');
    // With no database configured, the run history is PGlite in INHOUSE_DATA_DIR and the dashboard is served.
    expect(history?.store.backend).toBe("pglite");
    const dashboard = await fetch(`http://127.0.0.1:${port}/dashboard/runs`, { redirect: "manual" });
    expect(dashboard.headers.get("location")).toBe("/dashboard/login");
    const login = await fetch(`http://127.0.0.1:${port}/dashboard/login`, { redirect: "manual" });
    expect(login.status).toBe(503);
    expect(await login.text()).toContain("GITHUB_CLIENT_ID");
  }, 120_000);

  it("refuses to start with advice instead of a stack trace", async () => {
    await expect(start({ env: { APP_ID: "1", PRIVATE_KEY: pem } })).rejects.toThrow(ConfigurationError);
    await expect(start({ env: { APP_ID: "1", PRIVATE_KEY: pem } })).rejects.toThrow(/check WEBHOOK_SECRET/);
  });
});
