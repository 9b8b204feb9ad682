import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample } from "../../helpers/webhook-examples.ts";
import { octokitFor } from "../helpers/octokit.ts";
import { catchWebhooks } from "../helpers/webhook-catcher.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import type { PullIssue } from "../local-github/shapes/pull.ts";
import type { RepoRecord } from "../local-github/state.ts";

const example = webhookExample;

const kind = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

/**
 * Where our payload differs from GitHub's example in shape, at every depth: a key GitHub sends that
 * we lack, or a value of another kind (string where GitHub has a number). Null on either side is
 * allowed (nullable fields: no milestone, no merged_at); arrays compare their first elements.
 */
function shapeDifferences(theirs: unknown, ours: unknown, path = ""): string[] {
  if (theirs === null || ours === null || theirs === undefined) return [];
  if (ours === undefined) return [`${path || "."}: missing`];
  if (kind(theirs) !== kind(ours)) return [`${path}: ${kind(ours)} where GitHub sends ${kind(theirs)}`];
  if (Array.isArray(theirs)) {
    return theirs.length > 0 && (ours as unknown[]).length > 0
      ? shapeDifferences(theirs[0], (ours as unknown[])[0], `${path}[0]`)
      : [];
  }
  if (typeof theirs !== "object") return [];
  return Object.entries(theirs as Record<string, unknown>).flatMap(([key, value]) =>
    shapeDifferences(value, (ours as Record<string, unknown>)[key], path ? `${path}.${key}` : key),
  );
}

/** Parts of the examples an App installed on one organisation's repositories is not sent. */
const NOT_SENT = /^(organization|enterprise)(\.|$)/;

describe("webhook payloads: GitHub's shapes at every depth, and the App's bot as the actor", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  let catcher: Awaited<ReturnType<typeof catchWebhooks>>;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("widget", { "a.txt": "a\n" });
    await github.commit(repo, "agent/x", { "a.txt": "b\n" }, "change");
    github.openIssue(repo, { title: "t", user: "alice" });
    catcher = await catchWebhooks(github.app.webhookSecret);
    github.connectApp(catcher.url);
  });

  afterAll(async () => {
    github?.connectApp(undefined);
    await catcher?.close();
    await github?.close();
  });

  const check = (event: string, action: string, payload: unknown) =>
    expect(shapeDifferences(example(event, action), payload).filter((d) => !NOT_SENT.test(d))).toEqual([]);

  it("sends what the App's installation token does as <slug>[bot], type Bot, with performed_via_github_app", async () => {
    const bot = octokitFor(github, github.installationToken());
    await bot.rest.issues.createComment({ owner: "acme", repo: "widget", issue_number: 1, body: "on it" });
    await bot.rest.pulls.create({ owner: "acme", repo: "widget", title: "p", head: "agent/x", base: "main" });
    await github.idle();
    const [comment, pull] = catcher.received;
    const botUser = { login: github.credentials.botLogin, type: "Bot" };
    expect(comment?.payload).toMatchObject({
      sender: botUser,
      comment: { user: botUser, performed_via_github_app: { id: github.app.id, slug: github.app.slug } },
    });
    expect(pull?.payload).toMatchObject({ sender: botUser, pull_request: { user: botUser } });
    expect((comment!.payload.sender as { id: number }).id).not.toBe(github.app.id);
    check("issue_comment", "created", comment?.payload);
    check("pull_request", "opened", pull?.payload);
  });

  it("issues.labeled and pull_request.opened by people have GitHub's shape at every depth", async () => {
    const issue = github.state.issue(repo, 1)!;
    const labeled = await github.labelIssue(issue, "agent", "alice");
    check("issues", "labeled", labeled.payload);
    const pull = github.pulls(repo)[0] as PullIssue;
    check("pull_request", "opened", await github.payloads.pullRequestOpened(pull));
  });
});
