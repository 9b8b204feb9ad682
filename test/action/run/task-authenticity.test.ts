import nock from "nock";
import { describe, expect, it } from "vitest";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import type { RunDeps } from "../../../action/pipeline/github/run-deps.ts";
import type { Task } from "../../../core/task.ts";
import { APP_DISPATCHED_RUN, APP_ID_INPUT, appStatusComment } from "../../helpers/app-status-comment.ts";
import { API, makeTask, noWaitRetry } from "../github/fixtures.ts";
import { REPO } from "./harness.ts";

/**
 * A forged task ends before the first write: every request is recorded, and a task GitHub does not
 * confirm gets exactly one (reading the status comment it names), nothing saved for the post step.
 */
async function runForged(task: Task, comment: unknown, runEnv: Record<string, string> = APP_DISPATCHED_RUN) {
  const requests: string[] = [];
  const saved: string[] = [];
  nock(API)
    .persist()
    .get(/.*/)
    .reply((uri) => {
      requests.push(`GET ${uri}`);
      return uri === `${REPO}/issues/comments/900` ? [200, comment] : [404, { message: "Not Found" }];
    })
    .intercept(/.*/, "PATCH")
    .reply((uri) => {
      requests.push(`PATCH ${uri}`);
      return [200, {}];
    })
    .post(/.*/)
    .reply((uri) => {
      requests.push(`POST ${uri}`);
      return [201, {}];
    });
  const inputs: Record<string, string> = {
    task: JSON.stringify(task),
    "github-token": "ghs_x",
    ...APP_ID_INPUT,
  };
  const settings = parseSettings(
    (name) => inputs[name] ?? "",
    () => {},
    {
      ...runEnv,
      GITHUB_REPOSITORY: "acme/widgets",
      GITHUB_RUN_ID: "77",
    },
  );
  const unused = () => {
    throw new Error("a forged task reached a step past the authenticity check");
  };
  const deps: RunDeps = {
    github: (token) => createGitHubClient({ token, retry: noWaitRetry }),
    createSandbox: unused,
    runAgent: unused,
    resolveModel: unused,
    remoteUrl: unused,
    saveState: (_name, value) => saved.push(value),
    log: { info: () => {}, warning: () => {} },
    mask: () => {},
  };
  const error = await executeTask(settings, deps).then(
    () => undefined,
    (e: Error) => e,
  );
  return { error, requests, saved };
}

describe("executeTask: only tasks the App dispatched run", () => {
  it("a person dispatching the workflow with the App's real task is refused, writing nothing", async () => {
    const task = makeTask();
    const run = await runForged(task, appStatusComment(task), {
      GITHUB_EVENT_NAME: "workflow_dispatch",
      GITHUB_TRIGGERING_ACTOR: "mallory",
    });
    expect(run.error?.message).toMatch(
      /not dispatched by the inhouse App: the run was dispatched by mallory/,
    );
    expect(run.requests).toEqual([`GET ${REPO}/issues/comments/900`]);
    expect(run.saved).toEqual([]);
  });

  it("a task naming an admin as its actor does not match the App's marker", async () => {
    const real = makeTask();
    const forged = makeTask({ trigger: { ...real.trigger, actor: "admin" } });
    const run = await runForged(forged, appStatusComment(real));
    expect(run.error?.message).toMatch(/actor alice ≠ admin/);
    expect(run.requests).toEqual([`GET ${REPO}/issues/comments/900`]);
  });

  it("a status comment a person wrote with the App's marker copied in is refused", async () => {
    const task = makeTask();
    const run = await runForged(task, appStatusComment(task, { by: null }));
    expect(run.error?.message).toMatch(
      /status comment 900 was not written by the inhouse App \(id 4242\) but by a person/,
    );
    expect(run.requests).toEqual([`GET ${REPO}/issues/comments/900`]);
  });

  it("a status comment that does not exist is refused", async () => {
    const run = await runForged(makeTask({ statusCommentId: 901 }), {});
    expect(run.error?.message).toMatch(/status comment 901 does not exist in acme\/widgets/);
    expect(run.requests).toEqual([`GET ${REPO}/issues/comments/901`]);
    expect(run.saved).toEqual([]);
  });
});
