import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installationOctokit, octokitFor } from "./helpers/octokit.ts";
import { catchWebhooks } from "./helpers/webhook-catcher.ts";
import { runGit } from "./local-github/git-repos.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { RepoRecord } from "./local-github/state.ts";

const WORKFLOW = `name: agent
run-name: \${{ format('agent inhouse:{0}/{1}#{2}:{3}', fromJSON(inputs.task).repo.owner, fromJSON(inputs.task).repo.name, fromJSON(inputs.task).number, fromJSON(inputs.task).statusCommentId) }}
on:
  workflow_dispatch:
    inputs:
      task:
        required: true
jobs:
  agent:
    runs-on: [self-hosted, agent]
    steps:
      - uses: acme/inhouse@v1
`;

const basicHeader = (token: string) =>
  `http.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

describe("local GitHub", () => {
  let github: LocalGitHub;
  let repo: RepoRecord;
  let bot: Octokit;
  let work: string;

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("widget", {
      "README.md": "# widget\n",
      "src/add.js": "export const add = (a, b) => a - b;\n",
      ".github/agent.yml": "label: agent\n",
      ".github/workflows/agent.yml": WORKFLOW,
    });
    github.addCollaborator(repo, "alice", "write");
    github.addCollaborator(repo, "trina", "triage");
    bot = octokitFor(github, github.installationToken());
    work = await mkdtemp(join(tmpdir(), "local-github-test-"));
  });

  afterAll(async () => {
    await github?.close();
    await rm(work, { recursive: true, force: true });
  });

  it("mints an installation token for a real App JWT, as Probot asks for one", async () => {
    const octokit = installationOctokit(github);
    const { data } = await octokit.rest.repos.get({ owner: "acme", repo: "widget" });
    expect(data.default_branch).toBe("main");
    const tokenRequest = github
      .requests()
      .find((r) => r.route === "POST /app/installations/{installation_id}/access_tokens");
    expect(tokenRequest?.status).toBe(201);
  });

  it("refuses a JWT signed by another key, a missing token and an unknown token", async () => {
    const forged = [
      "eyJhbGciOiJSUzI1NiJ9",
      Buffer.from(JSON.stringify({ iss: github.app.id, exp: 9e9 })).toString("base64url"),
      "c2ln",
    ].join(".");
    const tokenRoute = `${github.url}/app/installations/${github.installation.id}/access_tokens`;
    expect(
      (await fetch(tokenRoute, { method: "POST", headers: { authorization: `Bearer ${forged}` } })).status,
    ).toBe(401);
    expect((await fetch(`${github.url}/repos/acme/widget`)).status).toBe(401);
    expect(
      (await fetch(`${github.url}/repos/acme/widget`, { headers: { authorization: "token ghs_nope" } }))
        .status,
    ).toBe(401);
  });

  it("creates an issue, comments on it and reacts, with GitHub's shapes", async () => {
    const alice = octokitFor(github, github.userToken("alice"));
    const { data: issue } = await alice.rest.issues.create({
      owner: "acme",
      repo: "widget",
      title: "add is wrong",
      labels: ["bug"],
    });
    expect(issue).toMatchObject({
      number: 1,
      state: "open",
      user: { login: "alice" },
      labels: [{ name: "bug" }],
    });
    const { data: comment } = await bot.rest.issues.createComment({
      owner: "acme",
      repo: "widget",
      issue_number: 1,
      body: "on it",
    });
    expect(comment.user?.login).toBe("inhouse-test[bot]");
    expect(comment.performed_via_github_app?.id).toBe(github.app.id);
    expect(comment.html_url).toBe(`${github.url}/acme/widget/issues/1#issuecomment-${comment.id}`);
    const first = await bot.rest.reactions.createForIssue({
      owner: "acme",
      repo: "widget",
      issue_number: 1,
      content: "eyes",
    });
    const again = await bot.rest.reactions.createForIssue({
      owner: "acme",
      repo: "widget",
      issue_number: 1,
      content: "eyes",
    });
    expect([first.status, again.status]).toEqual([201, 200]);
    await bot.rest.reactions.createForIssueComment({
      owner: "acme",
      repo: "widget",
      comment_id: comment.id,
      content: "+1",
    });
    const { data: edited } = await bot.rest.issues.updateComment({
      owner: "acme",
      repo: "widget",
      comment_id: comment.id,
      body: "done",
    });
    expect(edited.body).toBe("done");
    const comments = await bot.paginate(bot.rest.issues.listComments, {
      owner: "acme",
      repo: "widget",
      issue_number: 1,
    });
    expect(comments.map((c) => c.body)).toEqual(["done"]);
    // Only the author may edit a comment.
    await expect(
      alice.rest.issues.updateComment({ owner: "acme", repo: "widget", comment_id: comment.id, body: "x" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("reports collaborator permission with GitHub's legacy mapping and the role name", async () => {
    const read = async (username: string) =>
      (await bot.rest.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widget", username })).data;
    expect(await read("alice")).toMatchObject({ permission: "write", role_name: "write" });
    expect(await read("trina")).toMatchObject({ permission: "read", role_name: "triage" });
    github.state.user("mallory");
    expect(await read("mallory")).toMatchObject({ permission: "none" });
  });

  it("serves .github/agent.yml from the default branch as base64, like GitHub", async () => {
    const { data } = await bot.rest.repos.getContent({
      owner: "acme",
      repo: "widget",
      path: ".github/agent.yml",
      ref: "main",
    });
    expect(Array.isArray(data)).toBe(false);
    const file = data as { type: string; encoding: string; content: string };
    expect(file).toMatchObject({ type: "file", encoding: "base64" });
    expect(Buffer.from(file.content, "base64").toString("utf8")).toBe("label: agent\n");
    const raw = await bot.rest.repos.getContent({
      owner: "acme",
      repo: "widget",
      path: ".github/agent.yml",
      mediaType: { format: "raw" },
    });
    expect(raw.data as unknown).toBe("label: agent\n");
    await expect(
      bot.rest.repos.getContent({ owner: "acme", repo: "widget", path: "nope.yml" }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("dispatches a workflow with run details, renders run-name and lists the queued run", async () => {
    const task = JSON.stringify({ repo: { owner: "acme", name: "widget" }, number: 1, statusCommentId: 77 });
    const response = await bot.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      {
        owner: "acme",
        repo: "widget",
        workflow_id: "agent.yml",
        ref: "main",
        inputs: { task },
        return_run_details: true,
      },
    );
    expect(response.status).toBe(200);
    const runId = (response.data as { workflow_run_id: number }).workflow_run_id;
    const { data } = await bot.rest.actions.listWorkflowRuns({
      owner: "acme",
      repo: "widget",
      workflow_id: "agent.yml",
      event: "workflow_dispatch",
    });
    expect(data.workflow_runs[0]).toMatchObject({
      id: runId,
      status: "queued",
      display_title: "agent inhouse:acme/widget#1:77",
    });
    await expect(
      bot.rest.actions.createWorkflowDispatch({
        owner: "acme",
        repo: "widget",
        workflow_id: "agent.yml",
        ref: "main",
        inputs: { task, extra: "x" },
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Unexpected inputs provided: ["extra"]' } },
    });
    await expect(
      bot.rest.actions.createWorkflowDispatch({
        owner: "acme",
        repo: "widget",
        workflow_id: "agent.yml",
        ref: "nope",
      }),
    ).rejects.toMatchObject({ status: 422, response: { data: { message: "No ref found for: nope" } } });
    await expect(
      bot.rest.actions.createWorkflowDispatch({
        owner: "acme",
        repo: "widget",
        workflow_id: "missing.yml",
        ref: "main",
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("opens a pull request and takes a review whose inline comments sit on diff lines", async () => {
    await github.commit(
      repo,
      "agent/fix-1",
      { "src/add.js": "export const add = (a, b) => a + b;\n" },
      "Fix add",
    );
    const { data: pull } = await bot.rest.pulls.create({
      owner: "acme",
      repo: "widget",
      title: "Fix add",
      head: "agent/fix-1",
      base: "main",
      body: "Closes #1",
    });
    expect(pull).toMatchObject({
      number: 2,
      head: { ref: "agent/fix-1" },
      base: { ref: "main" },
      draft: false,
    });
    const pullHead = (await runGit(["-C", repo.gitDir, "rev-parse", "refs/pull/2/head"])).toString().trim();
    expect(pullHead).toBe(pull.head.sha);
    const listed = await bot.rest.pulls.list({ owner: "acme", repo: "widget", head: "acme:agent/fix-1" });
    expect(listed.data.map((p) => p.number)).toEqual([2]);
    const { data: files } = await bot.rest.pulls.listFiles({ owner: "acme", repo: "widget", pull_number: 2 });
    expect(files).toMatchObject([{ filename: "src/add.js", status: "modified", additions: 1, deletions: 1 }]);
    const review = await bot.rest.pulls.createReview({
      owner: "acme",
      repo: "widget",
      pull_number: 2,
      event: "COMMENT",
      body: "looks right",
      comments: [{ path: "src/add.js", line: 1, side: "RIGHT", body: "checked" }],
    });
    expect(review.data.state).toBe("COMMENTED");
    await expect(
      bot.rest.pulls.createReview({
        owner: "acme",
        repo: "widget",
        pull_number: 2,
        event: "COMMENT",
        comments: [{ path: "src/add.js", line: 9, body: "off the diff" }],
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      bot.rest.pulls.createReview({ owner: "acme", repo: "widget", pull_number: 2, event: "APPROVE" }),
    ).rejects.toMatchObject({ status: 422 });
    expect(github.reviewsOn(github.state.issue(repo, 2)!).comments).toMatchObject([
      { path: "src/add.js", line: 1 },
    ]);
  });

  it("records a request to a route GitHub does not have as a violation and answers 404", async () => {
    const before = github.violations().length;
    const response = await fetch(`${github.url}/repos/acme/widget/agent-status`, {
      headers: { authorization: "token x" },
    });
    expect(response.status).toBe(404);
    expect(github.violations().slice(before)).toMatchObject([
      { kind: "not-a-github-route", method: "GET", path: "/repos/acme/widget/agent-status" },
    ]);
    await bot.rest.repos.listBranches({ owner: "acme", repo: "widget" }).catch(() => undefined);
    expect(github.violations().at(-1)).toMatchObject({ kind: "not-implemented" });
  });

  it("clones and pushes over smart HTTP only with the token as a header", async () => {
    const token = github.installationToken();
    const url = `${github.url}/acme/widget.git`;
    const clone = join(work, "clone");
    await expect(runGit(["clone", "--quiet", url, join(work, "anonymous")])).rejects.toThrow(
      /401|Authentication failed|could not read Username/,
    );
    const anonymous = await fetch(`${url}/info/refs?service=git-upload-pack`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic/);
    await runGit(["-c", basicHeader(token), "clone", "--quiet", url, clone]);
    await writeFile(join(clone, "NOTES.md"), "notes\n");
    await runGit(["add", "NOTES.md"], { cwd: clone });
    await runGit(["commit", "--quiet", "-m", "notes"], { cwd: clone });
    await runGit(["-c", basicHeader(token), "push", "--quiet", "origin", "HEAD:refs/heads/agent/notes"], {
      cwd: clone,
    });
    expect((await github.branches(repo)).has("agent/notes")).toBe(true);
    expect(github.pushes().at(-1)).toMatchObject({ ref: "refs/heads/agent/notes", forced: false });
    expect(github.pushes().at(-1)?.refused).toBeUndefined();

    await expect(runGit(["-c", basicHeader("ghs_wrong"), "ls-remote", url])).rejects.toThrow();
  });

  it("sends webhooks signed with the App's secret for comments made through the API", async () => {
    const catcher = await catchWebhooks(github.app.webhookSecret);
    github.connectApp(catcher.url);
    try {
      const alice = octokitFor(github, github.userToken("alice"));
      await alice.rest.issues.createComment({
        owner: "acme",
        repo: "widget",
        issue_number: 1,
        body: "/agent fix",
      });
      const issue = github.state.issue(repo, 1)!;
      await github.labelIssue(issue, "agent", "alice");
      await github.idle();
      expect(catcher.received.map((w) => `${w.event}.${w.payload.action}`)).toEqual([
        "issue_comment.created",
        "issues.labeled",
      ]);
      expect(catcher.received.every((w) => w.signatureValid)).toBe(true);
      expect(catcher.received[1]?.payload).toMatchObject({
        label: { name: "agent" },
        issue: { number: 1 },
        repository: { full_name: "acme/widget", default_branch: "main" },
        sender: { login: "alice" },
        installation: { id: github.installation.id },
      });
    } finally {
      github.connectApp(undefined);
      await catcher.close();
    }
  });
});
