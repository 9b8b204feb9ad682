/**
 * One issue → PR run of the whole action with the real agent loop: scripted model, real Docker
 * sandbox, the local GitHub (API and git). Shared by the e2e test (which asserts on everything
 * recorded) and the `action` bench (which times it).
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { executeTask } from "../../../action/execute-task.ts";
import type { RunDeps, TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import { createSandbox } from "../../../action/sandbox/index.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { type ScriptedModelServer, startScriptedModelServer } from "../../helpers/scripted-model-server.ts";
import { fixingTrajectory } from "../../helpers/trajectories.ts";
import { type IssueTaskScene, startIssueTaskScene } from "./issue-task-scene.ts";

export const E2E_TOKEN = "ghs_E2EcanaryToken0123456789abcdefABCD";
export const E2E_MODEL_KEY = "sk-E2EcanaryModelKey0123456789";

export interface IssueToPrRun {
  outcome: TaskOutcome;
  fixture: FixtureRepo;
  root: string;
  scene: IssueTaskScene;
  model: ScriptedModelServer;
  containers: string[];
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
  const model = await startScriptedModelServer(fixingTrajectory(fixture));
  const scene = await startIssueTaskScene({
    tree: fixture.dir,
    config: `commands:\n  test: ${fixture.testCommand}\n`,
    issue: { title: "sum() subtracts", body: "sum(2, 3) is -1." },
    token: E2E_TOKEN,
  });
  const settings = scene.settings(root, "e2e", {
    "model-api-key": E2E_MODEL_KEY,
    "cache-dir": cacheDir ?? join(root, "cache"),
    "status-interval-seconds": "1",
  });
  const containers: string[] = [];
  const deps: RunDeps = {
    ...scene.deps,
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
    scene,
    model,
    containers,
    startedAt,
    cleanup: async () => {
      await scene.close();
      await model.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The two latencies the issue names, in seconds, from one recorded run. */
export function runLatencies(run: IssueToPrRun): { startToFirstModelCall: number; finishToPr: number } {
  const lastAnswer = run.model.requests.at(-1)?.respondedAt ?? Number.NaN;
  const prAt =
    run.scene.github.requests().find((r) => r.route === "POST /repos/{owner}/{repo}/pulls")?.at ?? Number.NaN;
  return {
    startToFirstModelCall: ((run.model.requests[0]?.receivedAt ?? Number.NaN) - run.startedAt) / 1000,
    finishToPr: (prAt - lastAnswer) / 1000,
  };
}
