import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import type { RunDeps } from "../../../action/pipeline/github/run-deps.ts";
import type { Task } from "../../../core/task.ts";
import { taskTokenPermissions } from "../../../core/task-token-permissions.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { IssueRecord, RepoRecord } from "../../e2e/local-github/state.ts";
import { APP_DISPATCHED_RUN, APP_ID_INPUT, appStatusComment } from "../../helpers/app-status-comment.ts";
import { makeTask, noWaitRetry } from "../github/fixtures.ts";
import { createHarness, startActionGitHub } from "./harness.ts";
import { postAppStatusComment } from "./issue-task-scene.ts";

let github: LocalGitHub;
/**
 * One repository with issue #12 for the file: a forged task writes nothing (each test asserts so),
 * and each test reads only the status comment it made, so the tests share it and stay independent.
 */
let repo: RepoRecord;
let issue: IssueRecord;
beforeAll(async () => {
  github = await startActionGitHub();
  const harness = await createHarness(github);
  repo = harness.repo;
  issue = harness.openIssue();
});
afterAll(() => github.close());
afterEach(() => expect(github.violations()).toEqual([]));

/** A task for issue #12 as the App would write it (no status comment yet). */
const appTask = (): Task => makeTask({ repo: { owner: "acme", name: repo.name } });

/**
 * A forged task ends before the first write: every request GitHub received is recorded, and a task
 * GitHub does not confirm gets exactly one (reading the status comment it names), nothing saved for
 * the post step.
 */
async function runForged(task: Task, runEnv: Record<string, string> = APP_DISPATCHED_RUN) {
  const saved: string[] = [];
  const token = github.installationToken({
    permissions: taskTokenPermissions(task.kind),
    repositories: [repo.name],
  });
  const inputs: Record<string, string> = {
    task: JSON.stringify(task),
    "github-token": token,
    ...APP_ID_INPUT,
  };
  const settings = parseSettings(
    (name) => inputs[name] ?? "",
    () => {},
    {
      ...runEnv,
      GITHUB_REPOSITORY: `acme/${repo.name}`,
      GITHUB_SERVER_URL: github.url,
      GITHUB_API_URL: github.url,
      GITHUB_RUN_ID: "77",
    },
  );
  const unused = () => {
    throw new Error("a forged task reached a step past the authenticity check");
  };
  const deps: RunDeps = {
    github: (token) => createGitHubClient({ token, baseUrl: github.url, retry: noWaitRetry }),
    createSandbox: unused,
    runAgent: unused,
    resolveModel: unused,
    remoteUrl: unused,
    saveState: (_name, value) => saved.push(value),
    log: { info: () => {}, warning: () => {} },
    mask: () => {},
  };
  const before = github.requests().length;
  const error = await executeTask(settings, deps).then(
    () => undefined,
    (e: Error) => e,
  );
  const requests = github
    .requests()
    .slice(before)
    .map((r) => `${r.method} ${r.path}`);
  return { error, requests, saved };
}

describe("executeTask: only tasks the App dispatched run", () => {
  it("a person dispatching the workflow with the App's real task is refused, writing nothing", async () => {
    const task = appTask();
    const real = postAppStatusComment(github, issue, task);
    const run = await runForged(real, {
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_TRIGGERING_ACTOR: "mallory",
    });
    expect(run.error?.message).toMatch(
      /not dispatched by the inhouse App: the run was dispatched by mallory/,
    );
    expect(run.requests).toEqual([`GET /repos/acme/${repo.name}/issues/comments/${real.statusCommentId}`]);
    expect(run.saved).toEqual([]);
  });

  it("a task naming an admin as its actor does not match the App's marker", async () => {
    const task = appTask();
    const real = postAppStatusComment(github, issue, task);
    const forged = { ...real, trigger: { ...real.trigger, actor: "admin" } };
    const run = await runForged(forged);
    expect(run.error?.message).toMatch(/actor alice ≠ admin/);
    expect(run.requests).toEqual([`GET /repos/acme/${repo.name}/issues/comments/${real.statusCommentId}`]);
  });

  it("a status comment a person wrote with the App's marker copied in is refused", async () => {
    const task = appTask();
    const copied = github.state.createComment(
      issue,
      appStatusComment(task).body,
      github.state.user("mallory"),
    );
    const run = await runForged({ ...task, statusCommentId: copied.id });
    expect(run.error?.message).toMatch(
      new RegExp(
        `status comment ${copied.id} was not written by the inhouse App \\(id 4242\\) but by a person`,
      ),
    );
    expect(run.requests).toEqual([`GET /repos/acme/${repo.name}/issues/comments/${copied.id}`]);
  });

  it("a status comment that does not exist is refused", async () => {
    const task = appTask();
    const missing = github.state.id() + 1000;
    const run = await runForged({ ...task, statusCommentId: missing });
    expect(run.error?.message).toMatch(
      new RegExp(`status comment ${missing} does not exist in acme/${repo.name}`),
    );
    expect(run.requests).toEqual([`GET /repos/acme/${repo.name}/issues/comments/${missing}`]);
    expect(run.saved).toEqual([]);
  });
});
