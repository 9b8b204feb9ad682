/**
 * Attacks on who may start work (invariants 1 and 7): an outsider's label or command, a forged or
 * unsigned webhook, a redelivered one. The App runs on the local GitHub (test/app/app-scene.ts):
 * real signed webhooks, GitHub's rules for every request, and the cases assert on what GitHub then
 * holds. The action's own permission re-check is one call's handling and stays a unit case on nock.
 */
import { createHmac } from "node:crypto";
import nock from "nock";
import { describe, expect } from "vitest";
import { recheckActor } from "../../../action/github/permission.ts";
import { defaultConfig } from "../../../core/config.ts";
import { testClient } from "../../action/github/fixtures.ts";
import { ALICE, appOnLocalGitHub, ROUTE, type Scene } from "../../app/app-scene.ts";
import { attack } from "./registry.ts";

/** How many deliveries of `event` the App counted with `outcome`. */
function deliveriesCounted(scene: Scene, event: string, outcome: string): number {
  return scene.app.metrics.deliveries.get({ event, outcome });
}

/** An `issues.labeled` payload as GitHub would send it, for a test to post with signatures of its own. */
function labeledBody(scene: Scene): string {
  const issue = scene.openIssue();
  const label = scene.github.state.addLabel(issue, "agent");
  return JSON.stringify(scene.github.payloads.issuesLabeled(issue, label, scene.github.state.user(ALICE)));
}

/** POSTs `body` to the App's webhook URL with the given signature headers; the App's HTTP status. */
async function postWebhook(scene: Scene, body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${scene.app.url}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": `forged-${Math.random()}`,
      ...headers,
    },
    body,
  });
  await response.text();
  return response.status;
}

export function triggerCases(): void {
  describe("who may start work", () => {
    const local = appOnLocalGitHub();

    attack("a read-only user's label or /agent command dispatches nothing (App)", async () => {
      const scene = await local.scene({ role: "read" });
      // Only triage and up may label on GitHub: the label comes from a triager, who still may not write.
      scene.github.addCollaborator(scene.repo, "triager", "triage");
      const refusedBefore =
        deliveriesCounted(scene, "issues.labeled", "refused") +
        deliveriesCounted(scene, "issue_comment.created", "refused");
      const labeled = scene.openIssue();
      await scene.label(labeled, { by: "triager" });
      const commented = scene.openIssue();
      await scene.comment(commented, "/agent fix");
      for (const issue of [labeled, commented]) {
        const [refusal, ...more] = scene.appComments(issue);
        expect(more).toEqual([]);
        expect(refusal?.body).toMatch(/permission|write/i);
        expect(scene.statuses(issue)).toEqual([]);
      }
      expect(scene.appWrites()).not.toContain(ROUTE.dispatch);
      expect(scene.github.state.runs.filter((run) => run.repo === scene.repo)).toEqual([]);
      const refusedAfter =
        deliveriesCounted(scene, "issues.labeled", "refused") +
        deliveriesCounted(scene, "issue_comment.created", "refused");
      expect(refusedAfter - refusedBefore).toBe(2);
    });

    attack("the action refuses an actor whose permission dropped after dispatch", async () => {
      // One call's handling (the action's re-check reads one permission): a unit case on nock.
      const scope = nock("https://api.github.com")
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
        const scene = await local.scene();
        const body = labeledBody(scene);
        const secret = scene.github.app.webhookSecret;
        const sign = (algorithm: "sha256" | "sha1", key = secret) =>
          `${algorithm}=${createHmac(algorithm, key).update(body).digest("hex")}`;
        const countedBefore = scene.app.metrics.deliveries.render().join("\n");
        expect(await postWebhook(scene, body, {})).toBe(400);
        expect(
          await postWebhook(scene, body, { "x-hub-signature-256": sign("sha256", "guessed-secret") }),
        ).toBe(400);
        expect(await postWebhook(scene, body, { "x-hub-signature": sign("sha1") })).toBe(400);
        await scene.settle();
        expect(scene.app.metrics.deliveries.render().join("\n")).toBe(countedBefore);
        expect(scene.appRequests()).toEqual([]); // the App did not even read the thread
        // Positive control: the same body, signed as GitHub signs it, starts the task.
        expect(await postWebhook(scene, body, { "x-hub-signature-256": sign("sha256") })).toBe(200);
        await scene.settle();
        expect(scene.appWrites()).toContain(ROUTE.dispatch);
      },
    );

    attack("a redelivered webhook never starts a second run", async () => {
      const scene = await local.scene();
      const issue = scene.openIssue();
      const delivery = await scene.label(issue);
      expect(scene.statuses(issue)).toHaveLength(1);
      const duplicatesBefore = deliveriesCounted(scene, "issues.labeled", "duplicate");
      const mark = scene.mark();
      await scene.github.redeliver(delivery);
      await scene.settle();
      expect(scene.appWrites(mark)).toEqual([]); // no dispatch, no second status comment
      expect(scene.statuses(issue)).toHaveLength(1);
      expect(scene.github.state.runs.filter((run) => run.repo === scene.repo)).toHaveLength(1);
      expect(deliveriesCounted(scene, "issues.labeled", "duplicate")).toBe(duplicatesBefore + 1);
    });
  });
}
