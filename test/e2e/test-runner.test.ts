import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFakeAction } from "./helpers/fake-action.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { type CaughtWebhook, catchWebhooks } from "./helpers/webhook-catcher.ts";
import { LocalGitHub } from "./local-github/local-github.ts";
import type { IssueRecord, RepoRecord } from "./local-github/state.ts";
import { inputEnvName, parseFileCommands } from "./test-runner/file-commands.ts";
import { TestRunner } from "./test-runner.ts";

const WORKFLOW = `name: agent
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

/** Like the shipped agent workflow: one run per thread at a time, the newest waiting run wins. */
const SERIAL_WORKFLOW = `name: serial
on:
  workflow_dispatch:
    inputs:
      task:
        required: true
concurrency:
  group: serial-\${{ fromJSON(inputs.task).number || fromJSON(inputs.task).automation }}
  cancel-in-progress: false
jobs:
  agent:
    runs-on: [self-hosted, agent]
    steps:
      - uses: acme/inhouse@v1
`;

describe("runner contract helpers", () => {
  it("names inputs as GitHub's runner does: upper case, spaces to _, dashes kept", () => {
    expect(inputEnvName("github-token")).toBe("INPUT_GITHUB-TOKEN");
    expect(inputEnvName("max turns")).toBe("INPUT_MAX_TURNS");
  });

  it("reads file commands in both forms", () => {
    expect(parseFileCommands("a=1\nb<<EOF_x\nline 1\nline 2\nEOF_x\n")).toEqual({
      a: "1",
      b: "line 1\nline 2",
    });
    expect(() => parseFileCommands("b<<EOF\nnever closed\n")).toThrow(/no closing delimiter/);
  });
});

describe("test runner", () => {
  let github: LocalGitHub;
  let runner: TestRunner;
  let repo: RepoRecord;
  let issue: IssueRecord;
  let app: Octokit;
  let actionDir: string;
  let hooks: { url: string; received: CaughtWebhook[]; close: () => Promise<void> };

  const dispatch = async (mode: string, workflow = "agent.yml"): Promise<number> => {
    const task = JSON.stringify({ number: issue.number, mode });
    const response = await app.request(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
      {
        owner: "acme",
        repo: "widget",
        workflow_id: workflow,
        ref: "main",
        inputs: { task },
        return_run_details: true,
      },
    );
    return (response.data as { workflow_run_id: number }).workflow_run_id;
  };
  const resultOf = (runId: number) => runner.results.find((result) => result.run.id === runId)!;
  const bodies = () => github.commentsOn(issue).map((comment) => comment.body);
  const completedHook = (runId: number) =>
    hooks.received.find(
      (hook) => hook.event === "workflow_run" && (hook.payload.workflow_run as { id: number }).id === runId,
    );

  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: "acme" });
    repo = await github.createRepo("widget", {
      ".github/workflows/agent.yml": WORKFLOW,
      ".github/workflows/serial.yml": SERIAL_WORKFLOW,
    });
    issue = github.openIssue(repo, { title: "do it", user: "alice" });
    actionDir = await writeFakeAction(await mkdtemp(join(tmpdir(), "fake-action-")));
    runner = TestRunner.attach(github, {
      actionDir,
      inputs: (run, token) => ({ task: run.inputs.task!, "github-token": token }),
      cancelGraceMs: 2_000,
    });
    hooks = await catchWebhooks(github.app.webhookSecret);
    github.connectApp(hooks.url);
    app = octokitFor(github, github.installationToken());
  });

  afterAll(async () => {
    await github?.close();
    await hooks?.close();
    await rm(actionDir, { recursive: true, force: true });
  });

  it("runs main then post with inputs, state, outputs and summary, and reports the run completed", async () => {
    const runId = await dispatch("ok");
    await github.idle();
    const result = resultOf(runId);
    expect(result.main.exitCode).toBe(0);
    expect(result.outputs).toEqual({ result: "commented" });
    expect(result.state).toEqual({ started: "yes" });
    expect(result.summary).toBe("## done\n");
    expect(bodies()).toEqual([
      `running on test-runner-1 as run ${runId} with temp set`,
      "post saw started=yes",
    ]);
    expect(github.state.run(runId)).toMatchObject({
      statusHistory: ["queued", "in_progress", "completed"],
      status: "completed",
      conclusion: "success",
      runnerName: "test-runner-1",
    });
    expect(completedHook(runId)?.payload).toMatchObject({
      action: "completed",
      workflow_run: { conclusion: "success" },
    });
    // The token was printed by the step, and the runner's log masks it as GitHub's does.
    expect(result.log).toContain("token is ***");
    expect(github.violations()).toEqual([]);
  });

  it("concludes failure when main fails, and still runs post", async () => {
    const runId = await dispatch("fail");
    await github.idle();
    expect(resultOf(runId).commands.errors).toEqual(["asked to fail"]);
    expect(resultOf(runId).post?.exitCode).toBe(0);
    expect(github.state.run(runId)?.conclusion).toBe("failure");
  });

  it("kills a run mid-task: no post step, conclusion failure, workflow_run.completed sent", async () => {
    const before = bodies().length;
    const runId = await dispatch("hang");
    await runner.started((run) => run.id === runId);
    await expect.poll(() => bodies().length).toBe(before + 1);
    expect(bodies().at(-1)).toBe(`hanging in run ${runId}`);
    runner.kill(runId);
    await github.idle();
    expect(resultOf(runId)).toMatchObject({ how: "killed", main: { signal: "SIGKILL" } });
    expect(resultOf(runId).post).toBeUndefined();
    expect(completedHook(runId)?.payload).toMatchObject({
      workflow_run: { status: "completed", conclusion: "failure" },
    });
  });

  it("cancels through the API: SIGINT to main, post still runs, conclusion cancelled", async () => {
    const runId = await dispatch("hang");
    await runner.started((run) => run.id === runId);
    await expect.poll(() => bodies().at(-1)).toBe(`hanging in run ${runId}`);
    await app.rest.actions.cancelWorkflowRun({ owner: "acme", repo: "widget", run_id: runId });
    await github.idle();
    expect(resultOf(runId)).toMatchObject({
      how: "cancelled",
      main: { exitCode: 1, signal: null },
      post: { exitCode: 0 },
    });
    expect(github.state.run(runId)?.conclusion).toBe("cancelled");
    expect(bodies().at(-1)).toBe("post saw started=yes");
  });

  it("runs one run per concurrency group; a newer waiting run cancels the older waiting one", async () => {
    const holder = await dispatch("hang", "serial.yml");
    await runner.started((run) => run.id === holder);
    const older = await dispatch("ok", "serial.yml");
    expect(github.state.run(older)).toMatchObject({
      status: "queued",
      concurrency: { group: `serial-${issue.number}` },
    });
    const newer = await dispatch("ok", "serial.yml");
    await expect.poll(() => github.state.run(older)?.status).toBe("completed");
    expect(github.state.run(older)).toMatchObject({
      conclusion: "cancelled",
      statusHistory: ["queued", "completed"],
    });
    expect(github.state.run(newer)?.status).toBe("queued");
    runner.kill(holder);
    await github.idle();
    expect(github.state.run(newer)).toMatchObject({
      conclusion: "success",
      statusHistory: ["queued", "in_progress", "completed"],
    });
    expect(runner.results.map((result) => result.run.id)).not.toContain(older);
  });
});
