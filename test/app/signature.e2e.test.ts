import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../app/deps/metrics.ts";
import { WorkQueue } from "../../app/deps/work-queue.ts";
import { httpRoutes } from "../../app/http-routes.ts";
import { inhouse } from "../../app/index.ts";
import { TestOctokit } from "../e2e/helpers/app-under-test.ts";
import { webhookExample as example } from "../helpers/webhook-examples.ts";

const SECRET = "s3cret-for-tests";
const metrics = new Metrics();
const queue = new WorkQueue((error) => {
  throw error;
});
let server: Server;
let base = "";

beforeAll(async () => {
  const probot = new Probot({ githubToken: "t", secret: SECRET, Octokit: TestOctokit, logLevel: "fatal" });
  const middleware = await createNodeMiddleware(inhouse({ appId: 1, metrics, queue }), { probot });
  const routes = httpRoutes(metrics);
  server = createServer((request, response) => {
    if (routes(request, response)) return;
    void middleware(request, response, () => response.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const sign = (body: string, algorithm: "sha256" | "sha1" = "sha256") =>
  `${algorithm}=${createHmac(algorithm, SECRET).update(body).digest("hex")}`;

/** An installation event: handled without any GitHub call, so only the signature decides. */
const payload = example("installation", "created");
const body = JSON.stringify(payload, null, 2);

async function post(headers: Record<string, string>, content = body): Promise<number> {
  const response = await fetch(`${base}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "installation",
      "x-github-delivery": "sig-1",
      ...headers,
    },
    body: content,
  });
  await response.text();
  return response.status;
}

describe("webhook signatures, through the real HTTP server", () => {
  it("accepts a valid sha256 signature", async () => {
    const before = metrics.deliveries.get({ event: "installation", outcome: "logged" });
    expect(await post({ "x-hub-signature-256": sign(body) })).toBe(200);
    await queue.idle();
    expect(metrics.deliveries.get({ event: "installation", outcome: "logged" })).toBe(before + 1);
  });

  it("rejects a bad signature", async () => {
    expect(await post({ "x-hub-signature-256": sign(`${body} `) })).toBe(400);
  });

  it("rejects a missing signature", async () => {
    expect(await post({})).toBe(400);
  });

  it("rejects a sha1-only signature", async () => {
    expect(await post({ "x-hub-signature": sign(body, "sha1") })).toBe(400);
    expect(await post({ "x-hub-signature-256": sign(body, "sha1").replace("sha1=", "sha256=") })).toBe(400);
  });

  it("rejects a signature over a re-serialised body", async () => {
    // Same JSON value, different bytes: the signature covers the bytes GitHub sent.
    const compact = JSON.stringify(payload);
    expect(await post({ "x-hub-signature-256": sign(body) }, compact)).toBe(400);
  });

  it("counts nothing for rejected deliveries", async () => {
    const rendered = metrics.render();
    const accepted = rendered.match(
      /inhouse_webhook_deliveries_total\{event="installation",outcome="logged"\} (\d+)/,
    )?.[1];
    expect(accepted).toBe("1");
  });

  it("serves /healthz and Prometheus /metrics", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", mode: "serve" });
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain("# TYPE inhouse_webhook_deliveries_total counter");
    expect(text).toContain("# TYPE inhouse_webhook_handling_seconds histogram");
    expect(text).toMatch(/inhouse_webhook_handling_seconds_bucket\{event="installation",le="\+Inf"\} 1/);
  });
});
