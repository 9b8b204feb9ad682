/**
 * Attacks on who may start work (invariants 1 and 7): an outsider's label or command, a forged or
 * unsigned webhook, a redelivered one. The App runs under Probot with Octokit against nock; the
 * action's own permission re-check runs against nock too.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import { describe, expect } from "vitest";
import { recheckActor } from "../../../action/github/permission.ts";
import { Metrics } from "../../../app/deps/metrics.ts";
import { WorkQueue } from "../../../app/deps/work-queue.ts";
import { inhouse } from "../../../app/index.ts";
import { defaultConfig } from "../../../core/config.ts";
import { testClient } from "../../action/github/fixtures.ts";
import {
  appComment,
  commentPayload,
  createApp,
  deliver,
  example,
  github,
  labeledPayload,
  mockGate,
  R,
  statusBody,
  TestOctokit,
  user,
} from "../../app/harness.ts";
import { attack } from "./registry.ts";

export function triggerCases(): void {
  describe("who may start work", () => {
    attack("a read-only user's label or /agent command dispatches nothing (App)", async () => {
      for (const [event, payload] of [
        ["issues", labeledPayload("agent", user("reader"))],
        ["issue_comment", commentPayload("/agent fix", { by: user("reader") })],
      ] as const) {
        const { probot, metrics } = await createApp();
        const scope = mockGate({ actor: "reader", role: "read" });
        let refusal = "";
        scope
          .post(`${R}/issues/1/comments`, (body) => {
            refusal = body.body;
            return true;
          })
          .reply(201, { id: 5 });
        await deliver(probot, event, payload);
        expect(scope.isDone()).toBe(true); // no dispatch was mocked: a dispatch would have failed the delivery
        expect(refusal).toMatch(/permission|write/i);
        expect(metrics.deliveries.render().join("\n")).toMatch(/outcome="refused"/);
      }
    });

    attack("the action refuses an actor whose permission dropped after dispatch", async () => {
      const scope = github()
        .get("/repos/acme/widgets/collaborators/alice/permission")
        .reply(200, { permission: "read", role_name: "read" });
      const check = await recheckActor(
        testClient(),
        { owner: "acme", name: "widgets" },
        "alice",
        defaultConfig(),
      );
      expect(check.ok).toBe(false);
      expect(scope.isDone()).toBe(true);
      const bot = await recheckActor(
        testClient(),
        { owner: "acme", name: "widgets" },
        "evil[bot]",
        defaultConfig(),
      );
      expect(bot.ok).toBe(false);
    });

    attack(
      "a webhook with a missing, wrong or sha1-only signature is rejected by the App's server",
      async () => {
        const secret = "catalogue-webhook-secret";
        const metrics = new Metrics();
        const queue = new WorkQueue((error) => {
          throw error;
        });
        const probot = new Probot({ githubToken: "t", secret, Octokit: TestOctokit, logLevel: "fatal" });
        const middleware = await createNodeMiddleware(inhouse({ appId: 1, metrics, queue }), { probot });
        const server = createServer((request, response) => {
          void middleware(request, response, () => response.writeHead(404).end());
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        try {
          // An installation event needs no GitHub call, so only the signature decides.
          const body = JSON.stringify(example("installation", "created"));
          const sign = (algorithm: "sha256" | "sha1", key = secret) =>
            `${algorithm}=${createHmac(algorithm, key).update(body).digest("hex")}`;
          const post = async (headers: Record<string, string>) => {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
            const response = await fetch(url, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                "x-github-event": "installation",
                "x-github-delivery": "forged",
                ...headers,
              },
              body,
            });
            await response.text();
            return response.status;
          };
          expect(await post({})).toBe(400);
          expect(await post({ "x-hub-signature-256": sign("sha256", "guessed-secret") })).toBe(400);
          expect(await post({ "x-hub-signature": sign("sha1") })).toBe(400);
          expect(metrics.deliveries.render().join("\n")).not.toMatch(/event="installation"/);
          expect(await post({ "x-hub-signature-256": sign("sha256") })).toBe(200); // positive control
        } finally {
          await new Promise((resolve) => server.close(resolve));
        }
      },
    );

    attack("a redelivered webhook never starts a second run", async () => {
      const { probot, metrics } = await createApp();
      const scope = mockGate({
        comments: [appComment(5, statusBody({ delivery: "d-again", state: "running" }))],
      });
      await deliver(probot, "issues", labeledPayload(), "d-again");
      expect(scope.isDone()).toBe(true); // no dispatch, no second status comment
      expect(metrics.deliveries.get({ event: "issues.labeled", outcome: "duplicate" })).toBe(1);
    });
  });
}
