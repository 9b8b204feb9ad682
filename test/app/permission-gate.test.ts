/**
 * Who may run which command: the App asks GitHub's collaborator-permission API (never
 * `author_association`) and compares the answer with the command's minimum; bots only when named.
 * Runs on the local GitHub, whose permission route answers from the repository's collaborators as
 * GitHub does (`role_name`, the legacy `permission`, 404 for a login that is no user).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseRefusalMarker, renderRefusalMarker } from "../../app/github/agent-comments.ts";
import { updateRef } from "../e2e/local-github/git-repos.ts";
import type { IssueRecord } from "../e2e/local-github/state.ts";
import { ALICE, type AppOnLocalGitHub, appOnLocalGitHub, ROUTE, type Scene } from "./app-scene.ts";

/**
 * Who asks and what GitHub knows of them: a collaborator with each role, people who are no
 * collaborator (GitHub answers `role_name: none`), a deleted account (GitHub answers 404) and a bot
 * (never asked about: bots need `allowedBots`).
 */
const actors = [
  { who: "admin", login: "ada", type: "User", role: "admin" },
  { who: "maintain", login: "max", type: "User", role: "maintain" },
  { who: "write", login: "wes", type: "User", role: "write" },
  { who: "triage", login: "tia", type: "User", role: "triage" },
  { who: "read", login: "rey", type: "User", role: "read" },
  { who: "none", login: "nora", type: "User", role: "none" },
  { who: "outside collaborator (not on the repository)", login: "stranger", type: "User", role: "none" },
  { who: "bot", login: "renovate[bot]", type: "Bot", role: "none" },
  { who: "deleted user (404)", login: "ghost", type: "User", role: "deleted" },
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
    const effective = actor.role === "deleted" ? "none" : actor.role;
    const allowed = actor.type !== "Bot" && rank.indexOf(effective) >= rank.indexOf(command.minimum);
    return {
      ...actor,
      command,
      allowed,
      name: `${actor.who} → ${command.body}: ${allowed ? "allowed" : "refused"}`,
    };
  }),
);

/**
 * The matrix's repository: every actor with a role is a collaborator, and each case that runs on a
 * pull request has one of its own (a refusal is said once per thread and person, so cases must not
 * share threads). One repository for all cases, because making one costs git processes.
 */
interface Matrix {
  scene: Scene;
  pulls: Map<string, IssueRecord>;
}

async function matrixScene(local: AppOnLocalGitHub): Promise<Matrix> {
  const scene = await local.scene({ role: null });
  for (const actor of actors) {
    if (actor.role !== "none" && actor.role !== "deleted")
      scene.github.addCollaborator(scene.repo, actor.login, actor.role);
  }
  const onPulls = cases.filter((c) => c.command.onPullRequest);
  const pulls = await openPulls(scene, onPulls.length);
  return { scene, pulls: new Map(onPulls.map((c, i) => [c.name, pulls[i] as IssueRecord])) };
}

/**
 * `count` open pull requests, each from a branch of its own with the same fix, made before the App
 * was installed (no webhook). One commit; the other branches are pushed at it, and each pull
 * request's `refs/pull/<n>/head` points at its head, as GitHub keeps it.
 */
async function openPulls(scene: Scene, count: number): Promise<IssueRecord[]> {
  const { github, repo } = scene;
  const fix = await github.commit(
    repo,
    "fix-sum-1",
    { "src/sum.js": "export const sum = (a, b) => a + b;\n" },
    "sum adds",
  );
  const branches = Array.from({ length: count }, (_, i) => `fix-sum-${i + 1}`);
  await Promise.all(branches.slice(1).map((branch) => updateRef(repo.gitDir, `refs/heads/${branch}`, fix)));
  const pulls = branches.map((headRef) =>
    github.state.createIssue(repo, {
      title: `sum adds (${headRef})`,
      user: github.state.user(ALICE),
      pull: { headRef, baseRef: repo.defaultBranch, draft: false, merged: false },
    }),
  );
  await Promise.all(pulls.map((pull) => updateRef(repo.gitDir, `refs/pull/${pull.number}/head`, fix)));
  return pulls;
}

/**
 * `login` comments; a deleted account's comment stays on the thread but the account is gone by the
 * time the App asks about it (GitHub then answers the permission request 404).
 */
async function commentAs(scene: Scene, thread: IssueRecord, login: string, body: string, deleted: boolean) {
  if (!deleted) return scene.comment(thread, body, login);
  const comment = scene.github.state.createComment(thread, body, scene.github.state.user(login));
  scene.github.state.users.delete(login);
  const delivery = await scene.github.webhooks.deliver(
    "issue_comment",
    scene.github.payloads.issueCommentCreated(comment),
  );
  await scene.settle();
  return delivery;
}

describe("permission matrix", () => {
  const local = appOnLocalGitHub();
  let matrix: Matrix;
  beforeAll(async () => {
    matrix = await matrixScene(local);
  });

  it.each(cases)("$name", async ({ name, login, type, role, command, allowed }) => {
    const { scene, pulls } = matrix;
    const thread = command.onPullRequest ? (pulls.get(name) as IssueRecord) : scene.openIssue();
    const since = scene.mark();
    const runsBefore = scene.runs().length;
    const reason = type === "Bot" ? "bot" : "permission";
    const refusalsBefore = scene.app.metrics.refusals.get({ reason });

    await commentAs(scene, thread, login, command.body, role === "deleted");

    // GitHub is asked about every person; a bot is refused for being a bot, without asking.
    const asked = scene.appRequests(since).filter((request) => request === ROUTE.readPermission);
    expect(asked).toHaveLength(type === "Bot" ? 0 : 1);
    const dispatches = command.body === "/agent fix" || command.body === "/agent review";
    expect(scene.runs().length - runsBefore).toBe(allowed && dispatches ? 1 : 0);
    expect(scene.appWrites(since).includes(ROUTE.dispatch)).toBe(allowed && dispatches);

    const posted = scene.appComments(thread).map((comment) => comment.body);
    expect(posted).toHaveLength(1);
    if (allowed) {
      expect(parseRefusalMarker(posted[0] ?? "")).toBeUndefined();
      return;
    }
    expect(parseRefusalMarker(posted[0] ?? "")).toBe(login);
    expect(posted[0]).toMatch(
      type === "Bot" ? /permissions\.allowedBots/ : new RegExp(`you need \`${command.minimum}\` or higher`),
    );
    expect(scene.app.metrics.refusals.get({ reason })).toBe(refusalsBefore + 1);
  });

  it("refuses a user once per issue, then stays quiet", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    scene.appWrote(issue, `${renderRefusalMarker("stranger")}\n🚫 earlier refusal`);
    const refused = { event: "issue_comment.created", outcome: "refused" };
    const refusedBefore = scene.app.metrics.deliveries.get(refused);

    await scene.comment(issue, "/agent fix", "stranger");

    expect(scene.appRequests()).toContain(ROUTE.readPermission);
    expect(scene.appComments(issue).map((comment) => comment.body)).toEqual([
      `${renderRefusalMarker("stranger")}\n🚫 earlier refusal`,
    ]);
    expect(scene.appWrites()).toEqual([]);
    expect(scene.app.metrics.deliveries.get(refused)).toBe(refusedBefore + 1);
  });

  it("lets a bot in when allowedBots names it, without asking for its permission", async () => {
    const scene = await local.scene({ config: "permissions:\n  allowedBots: [renovate]\n" });
    const issue = scene.openIssue();

    await scene.comment(issue, "/agent help", "renovate[bot]");

    expect(scene.appRequests()).not.toContain(ROUTE.readPermission);
    const posted = scene.appComments(issue);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toContain("Label an issue");
  });

  it("honours a stricter configured minimum", async () => {
    const scene = await local.scene({ config: "permissions:\n  minimum: maintain\n", role: "write" });
    const issue = scene.openIssue();

    await scene.comment(issue, "/agent fix");

    const posted = scene.appComments(issue);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toContain("you need `maintain` or higher");
    expect(parseRefusalMarker(posted[0]?.body ?? "")).toBe(ALICE);
    expect(scene.runs()).toEqual([]);
  });
});
