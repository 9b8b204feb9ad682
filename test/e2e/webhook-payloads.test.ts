import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookExample } from "../helpers/webhook-examples.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";
import type { RepoRecord, RunRecord } from "./local-github/state.ts";

const example = webhookExample;

/**
 * Keys GitHub's example has that ours lacks, three levels deep. A null on our side where the
 * example has an object is fine (the field is nullable: no assignee, no milestone).
 */
function missingKeys(theirs: unknown, ours: unknown, path = "", depth = 3): string[] {
  if (depth === 0 || typeof theirs !== "object" || theirs === null || Array.isArray(theirs)) return [];
  if (ours === null) return [];
  if (typeof ours !== "object") return [path];
  return Object.entries(theirs).flatMap(([key, value]) =>
    key in ours
      ? missingKeys(value, (ours as Record<string, unknown>)[key], `${path}${key}.`, depth - 1)
      : [`${path}${key}`],
  );
}

/** Fields the examples carry that a repository of an App installed on one account does not. */
const NOT_SENT = new Set(["organization", "enterprise"]);

describe("webhook payloads of the local GitHub", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("widget", { "a.txt": "a\n" });
  });

  afterAll(async () => {
    await github?.close();
  });

  const check = (event: string, action: string, payload: unknown) =>
    expect(missingKeys(example(event, action), payload).filter((key) => !NOT_SENT.has(key))).toEqual([]);

  it("issues.labeled and issue_comment.created carry every field of GitHub's examples", () => {
    const issue = github.openIssue(repo, { title: "t", user: "alice" });
    const label = github.state.addLabel(issue, "agent");
    check("issues", "labeled", github.payloads.issuesLabeled(issue, label, issue.user));
    const comment = github.state.createComment(issue, "/agent fix", github.state.user("alice"));
    check("issue_comment", "created", github.payloads.issueCommentCreated(comment));
  });

  it("issues.opened carries every field of GitHub's example, sent by the author", () => {
    const issue = github.openIssue(repo, { title: "t", user: "alice" });
    const payload = github.payloads.issuesOpened(issue);
    check("issues", "opened", payload);
    expect(payload.sender).toMatchObject({ login: "alice" });
  });

  it("an Actions check run's job log downloads through GitHub's redirect, as plain text", async () => {
    const head = await github.commit(repo, "agent/logs", { "a.txt": "logs\n" }, "change");
    const log = "2026-01-02T03:04:05.0000000Z npm test\n";
    const actions = {
      headSha: head,
      name: "test",
      conclusion: "failure" as const,
      appSlug: "github-actions",
    };
    const payload = await github.payloads.checkRunCompleted(
      repo,
      { ...actions, log },
      github.state.user("github-actions[bot]"),
    );
    const jobId = (payload.check_run as { id: number }).id;
    const bot = octokitFor(github, github.installationToken());
    const download = (job_id: number) =>
      bot.rest.actions.downloadJobLogsForWorkflowRun({ owner: "acme", repo: "widget", job_id });
    expect((await download(jobId)).data).toBe(log);
    const answered = github
      .requests()
      .filter((r) => r.route === "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs");
    expect(answered.map((r) => r.status)).toEqual([302]);
    const other = await github.payloads.checkRunCompleted(
      repo,
      { ...actions, appSlug: "ci", log },
      github.state.user("ci[bot]"),
    );
    await expect(download((other.check_run as { id: number }).id)).rejects.toMatchObject({ status: 404 });
    const readOnly = octokitFor(github, github.installationToken({ permissions: { contents: "read" } }));
    await expect(
      readOnly.rest.actions.downloadJobLogsForWorkflowRun({ owner: "acme", repo: "widget", job_id: jobId }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it("pull_request.opened carries every field of GitHub's example", async () => {
    await github.commit(repo, "agent/x", { "a.txt": "b\n" }, "change");
    const pull = github.state.createIssue(repo, {
      title: "p",
      user: github.state.user("alice"),
      pull: { headRef: "agent/x", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    check("pull_request", "opened", await github.payloads.pullRequestOpened(pull));
    check("pull_request", "closed", await github.payloads.pullRequestClosed(pull, github.state.user("bob")));
  });

  it("pull_request.ready_for_review carries every field of GitHub's example, once the draft is marked ready", async () => {
    await github.commit(repo, "agent/draft", { "a.txt": "c\n" }, "draft change");
    const pull = github.state.createIssue(repo, {
      title: "d",
      user: github.state.user("alice"),
      pull: { headRef: "agent/draft", baseRef: "main", draft: true, merged: false },
    }) as PullIssue;
    const delivery = await github.markReadyForReview(pull, "bob");
    expect(pull.pull.draft).toBe(false);
    expect(delivery).toMatchObject({ event: "pull_request", action: "ready_for_review" });
    expect(delivery.payload).toMatchObject({ sender: { login: "bob" }, pull_request: { draft: false } });
    check("pull_request", "ready_for_review", delivery.payload);
    await expect(github.markReadyForReview(pull, "bob")).rejects.toThrow(/not a draft/);
  });

  it("workflow_run.completed carries every field of GitHub's example", () => {
    const run: RunRecord = {
      id: github.state.id(),
      repo,
      workflowFile: "agent.yml",
      workflowId: github.state.workflowId(repo, "agent.yml"),
      workflowName: "agent",
      runNumber: 1,
      displayTitle: "agent inhouse:acme/widget#1:2",
      event: "workflow_dispatch",
      jobs: [{}],
      headBranch: "main",
      headSha: "0".repeat(40),
      status: "completed",
      conclusion: "failure",
      actor: github.state.user("alice"),
      inputs: {},
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z",
      runStartedAt: "2026-01-01T00:00:00Z",
      runnerName: "r",
      statusHistory: ["queued", "in_progress", "completed"],
    };
    check("workflow_run", "completed", github.payloads.workflowRunCompleted(run));
  });

  it("check_run.completed carries every field of GitHub's example and lists the PRs whose head was checked", async () => {
    const head = await github.commit(repo, "agent/ci", { "a.txt": "ci\n" }, "change");
    const pull = github.state.createIssue(repo, {
      title: "p",
      user: github.state.user("alice"),
      pull: { headRef: "agent/ci", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    const payload = await github.payloads.checkRunCompleted(
      repo,
      { headSha: head, name: "test", conclusion: "failure", appSlug: "ci" },
      github.state.user("ci[bot]"),
    );
    check("check_run", "completed", payload);
    const other = await github.payloads.checkRunCompleted(
      repo,
      { headSha: "f".repeat(40), name: "test", conclusion: "failure", appSlug: "ci" },
      github.state.user("ci[bot]"),
    );
    expect((payload.check_run as { pull_requests: { number: number }[] }).pull_requests).toEqual([
      expect.objectContaining({ number: pull.number }),
    ]);
    expect((other.check_run as { pull_requests: unknown[] }).pull_requests).toEqual([]);
  });

  it("pull_request_review.submitted and pull_request_review_comment.created carry every field of GitHub's examples", async () => {
    await github.commit(repo, "agent/review", { "a.txt": "reviewed\n" }, "change");
    const pull = github.state.createIssue(repo, {
      title: "p",
      user: github.state.user("alice"),
      pull: { headRef: "agent/review", baseRef: "main", draft: false, merged: false },
    }) as PullIssue;
    const review = {
      id: github.state.id(),
      pull,
      user: github.state.user("bob"),
      body: "/agent fix",
      state: "COMMENTED" as const,
      commitId: "0".repeat(40),
      submittedAt: "2026-01-01T00:00:00Z",
    };
    check("pull_request_review", "submitted", await github.payloads.pullRequestReviewSubmitted(review));
    const comment = {
      id: github.state.id(),
      reviewId: review.id,
      pull,
      path: "a.txt",
      line: 1,
      startLine: null,
      side: "RIGHT" as const,
      body: "/agent fix",
      user: review.user,
      commitId: review.commitId,
      createdAt: review.submittedAt,
    };
    check(
      "pull_request_review_comment",
      "created",
      await github.payloads.pullRequestReviewCommentCreated(comment),
    );
  });
});
