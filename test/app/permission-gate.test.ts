import { describe, expect, it } from "vitest";
import { parseRefusalMarker, renderRefusalMarker } from "../../app/github/agent-comments.ts";
import {
  appComment,
  commentPayload,
  createApp,
  deliver,
  github,
  ISSUE,
  mockComments,
  mockConfig,
  mockGate,
  mockPermission,
  R,
  user,
} from "./harness.ts";
import { mockNoRunListed } from "./mock-dispatch.ts";

/** Who asks: the login, the account type, and what the permission API answers (null: 404). */
const actors = [
  { who: "admin", login: "Codertocat", type: "User", role: "admin" },
  { who: "maintain", login: "Codertocat", type: "User", role: "maintain" },
  { who: "write", login: "Codertocat", type: "User", role: "write" },
  { who: "triage", login: "Codertocat", type: "User", role: "triage" },
  { who: "read", login: "Codertocat", type: "User", role: "read" },
  { who: "none", login: "Codertocat", type: "User", role: "none" },
  { who: "outside collaborator (404)", login: "stranger", type: "User", role: null },
  { who: "bot", login: "renovate[bot]", type: "Bot", role: "skip" },
  { who: "deleted user", login: "ghost", type: "User", role: null },
] as const;

const commands = [
  { body: "/agent fix", onPullRequest: false, minimum: "write" },
  { body: "/agent review", onPullRequest: true, minimum: "write" },
  { body: "/agent stop", onPullRequest: true, minimum: "write" },
  { body: "/agent help", onPullRequest: true, minimum: "read" },
] as const;

const rank = ["none", "read", "triage", "write", "maintain", "admin"];
const cases = actors.flatMap((actor) =>
  commands.map((command) => {
    const allowed =
      actor.type !== "Bot" && rank.indexOf(actor.role ?? "none") >= rank.indexOf(command.minimum);
    return {
      ...actor,
      command,
      allowed,
      name: `${actor.who} → ${command.body}: ${allowed ? "allowed" : "refused"}`,
    };
  }),
);

describe("permission matrix", () => {
  it.each(cases)("$name", async ({ login, type, role, command, allowed }) => {
    const { probot, metrics } = await createApp();
    const posted: string[] = [];
    let dispatched = false;
    const scope = mockConfig(github(), null);
    if (role !== "skip") mockPermission(scope, login, role);
    // Help answers without reading the thread; everything else reads it (refusals, running tasks).
    if (!(allowed && command.body === "/agent help")) mockComments(scope, []);
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => {
        posted.push(body.body);
        return true;
      })
      .reply(201, { id: 4242 });
    const dispatches = command.body === "/agent fix" || command.body === "/agent review";
    if (allowed && dispatches) {
      scope.post(/\/reactions$/).reply(201, {});
      scope.post(`${R}/actions/workflows/agent.yml/dispatches`).reply(204, () => {
        dispatched = true;
        return "";
      });
      mockNoRunListed(scope);
    }
    await deliver(
      probot,
      "issue_comment",
      commentPayload(command.body, { onPullRequest: command.onPullRequest, by: user(login, type) }),
    );
    expect(scope.isDone()).toBe(true);
    expect(dispatched).toBe(allowed && dispatches);
    expect(posted).toHaveLength(1);
    if (allowed) {
      expect(parseRefusalMarker(posted[0] ?? "")).toBeUndefined();
    } else {
      expect(parseRefusalMarker(posted[0] ?? "")).toBe(login);
      expect(posted[0]).toMatch(
        type === "Bot" ? /permissions\.allowedBots/ : new RegExp(`you need \`${command.minimum}\` or higher`),
      );
      expect(metrics.refusals.get({ reason: type === "Bot" ? "bot" : "permission" })).toBe(1);
    }
  });

  it("refuses a user once per issue, then stays quiet", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), null);
    mockPermission(scope, "stranger", null);
    mockComments(scope, [appComment(3, `${renderRefusalMarker("stranger")}\n🚫 earlier refusal`)]);
    await deliver(probot, "issue_comment", commentPayload("/agent fix", { by: user("stranger") }));
    expect(scope.isDone()).toBe(true);
    expect(metrics.deliveries.get({ event: "issue_comment.created", outcome: "refused" })).toBe(1);
  });

  it("lets a bot in when allowedBots names it, without asking for its permission", async () => {
    const { probot } = await createApp();
    const scope = mockConfig(github(), "permissions:\n  allowedBots: [renovate]\n");
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => body.body.includes("Label an issue"))
      .reply(201, { id: 1 });
    await deliver(
      probot,
      "issue_comment",
      commentPayload("/agent help", { by: user("renovate[bot]", "Bot") }),
    );
    expect(scope.isDone()).toBe(true);
  });

  it("honours a stricter configured minimum", async () => {
    const { probot } = await createApp();
    const scope = mockGate({ config: "permissions:\n  minimum: maintain\n" });
    scope
      .post(`${R}/issues/${ISSUE}/comments`, (body) => body.body.includes("you need `maintain` or higher"))
      .reply(201, { id: 1 });
    await deliver(probot, "issue_comment", commentPayload("/agent fix"));
    expect(scope.isDone()).toBe(true);
  });
});
