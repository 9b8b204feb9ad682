/**
 * One issue → PR run of the whole action with the real agent loop: scripted model, real Docker
 * sandbox, real git (a local bare repository as the remote), fake GitHub on loopback. Shared by
 * the e2e test (which asserts on everything recorded) and the `action` bench (which times it).
 */

import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import type { RunDeps, TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import { createSandbox } from "../../../action/sandbox/index.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { APP_DISPATCHED_RUN, APP_ID_INPUT } from "../../helpers/app-status-comment.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { type ScriptedModelServer, startScriptedModelServer } from "../../helpers/scripted-model-server.ts";
import { fixingTrajectory } from "../../helpers/trajectories.ts";
import { makeTask, noWaitRetry } from "../github/fixtures.ts";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.ts";
import { ISSUE_REPO_PATH, issueTaskRoutes } from "./issue-task-routes.ts";

export const E2E_TOKEN = "ghs_E2EcanaryToken0123456789abcdefABCD";
export const E2E_MODEL_KEY = "sk-E2EcanaryModelKey0123456789";
const REPO = ISSUE_REPO_PATH;

export interface IssueToPrRun {
  outcome: TaskOutcome;
  fixture: FixtureRepo;
  root: string;
  bare: string;
  github: FakeGitHub;
  model: ScriptedModelServer;
  containers: string[];
  prBody: string;
  /** performance.now() when executeTask was called. */
  startedAt: number;
  cleanup(): Promise<void>;
}

export async function runIssueToPr(
  inspectSandbox: (sandbox: Sandbox, fixture: FixtureRepo) => Promise<void> = async () => {},
  cacheDir?: string,
): Promise<IssueToPrRun> {
  const fixture = await createJsFixtureRepo();
  const root = await mkdtemp(join(tmpdir(), "inhouse-e2e-"));
  const bare = join(root, "widgets.git");
  execFileSync("git", ["clone", "-q", "--bare", fixture.dir, bare]);
  const model = await startScriptedModelServer(fixingTrajectory(fixture));
  const config = `commands:\n  test: ${fixture.testCommand}\n`;
  const run = { prBody: "" };
  const github = await startFakeGitHub([
    ...issueTaskRoutes({ config, issue: { title: "sum() subtracts", body: "sum(2, 3) is -1." } }),
    [
      "POST",
      new RegExp(`^${REPO}/pulls$`),
      (body) => {
        run.prBody = (body as { body: string }).body;
        return { status: 201, body: { number: 13, html_url: "https://github.test/acme/widgets/pull/13" } };
      },
    ],
  ]);
  const inputs: Record<string, string> = {
    task: JSON.stringify(makeTask()),
    "github-token": E2E_TOKEN,
    ...APP_ID_INPUT,
    "model-api-key": E2E_MODEL_KEY,
    "cache-dir": cacheDir ?? join(root, "cache"),
    "status-interval-seconds": "1",
  };
  const settings = parseSettings(
    (name) => inputs[name] ?? "",
    () => {},
    {
      ...APP_DISPATCHED_RUN,
      GITHUB_REPOSITORY: "acme/widgets",
      GITHUB_RUN_ID: "4242",
      RUNNER_TEMP: root,
      RUNNER_NAME: "e2e",
    },
  );
  const containers: string[] = [];
  const deps: RunDeps = {
    github: (token) => createGitHubClient({ token, baseUrl: github.url, retry: noWaitRetry }),
    createSandbox: async (options) => {
      const sandbox = await createSandbox(options);
      containers.push(sandbox.containerId);
      return sandbox;
    },
    runAgent: async (options) => {
      await inspectSandbox(options.sandbox, fixture);
      return runAgent({ ...options, tuning: { retryBaseDelayMs: 1 } });
    },
    resolveModel: async () => ({
      baseUrl: model.baseUrl,
      apiKey: E2E_MODEL_KEY,
      model: model.model,
      toolCalling: "auto",
    }),
    remoteUrl: () => `file://${bare}`,
    saveState: () => {},
    log: { info: () => {}, warning: (m) => console.warn(m) },
    mask: () => {},
  };
  const startedAt = performance.now();
  const outcome = await executeTask(settings, deps);
  return {
    outcome,
    fixture,
    root,
    bare,
    github,
    model,
    containers,
    prBody: run.prBody,
    startedAt,
    cleanup: async () => {
      await github.close();
      await model.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The two latencies the issue names, in seconds, from one recorded run. */
export function runLatencies(run: IssueToPrRun): { startToFirstModelCall: number; finishToPr: number } {
  const lastAnswer = run.model.requests.at(-1)?.respondedAt ?? Number.NaN;
  const prAt =
    run.github.requests.find((r) => r.method === "POST" && r.path.endsWith("/pulls"))?.at ?? Number.NaN;
  return {
    startToFirstModelCall: ((run.model.requests[0]?.receivedAt ?? Number.NaN) - run.startedAt) / 1000,
    finishToPr: (prAt - lastAnswer) / 1000,
  };
}
