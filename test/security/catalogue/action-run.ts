/**
 * One fix-issue task through the whole action for an attack: real agent loop, real Docker
 * sandbox, the local GitHub (API and git remote), scripted model. The canary credentials are the action's token and model key, and sit in this process's
 * environment while it runs. Everything that leaves the run is collected for the assertions.
 */

import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { executeTask } from "../../../action/execute-task.ts";
import type { TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import { createSandbox } from "../../../action/sandbox/index.ts";
import { type IssueTaskScene, startIssueTaskScene } from "../../action/run/issue-task-scene.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { recordJobSummary } from "../../helpers/job-summary-recorder.ts";
import {
  type ScriptedModelServer,
  type ScriptedStep,
  startScriptedModelServer,
} from "../../helpers/scripted-model-server.ts";
import { CANARY_MODEL_KEY, CANARY_TOKEN, plantInProcessEnv } from "./canaries.ts";

export interface AttackRunSpec {
  issue: { title: string; body: string };
  /** Files added to the fixture repository (for instructions planted in the repository). */
  files?: Record<string, string>;
  steps(fixture: FixtureRepo): ScriptedStep[];
  /** Extra `.github/agent.yml` lines after `commands.test`. */
  config?: string;
  /** The runner's `allowed-networks` input; default none. */
  allowedNetworks?: string;
  /** More action inputs, as the runner's administrator sets them (`max-calls-per-turn`, `egress-hosts`…). */
  inputs?: Record<string, string>;
}

export interface AttackRun {
  outcome: TaskOutcome;
  fixture: FixtureRepo;
  model: ScriptedModelServer;
  github: LocalGitHub;
  scene: IssueTaskScene;
  /** Every request body sent to GitHub (comments, PR), the audit log, every pushed commit with its patch, log lines and the job summary. */
  outgoing: { github: string; audit: string; commits: string; logs: string };
  branches: string[];
  /** The local GitHub's bare repository of acme/widgets (removed by cleanup). */
  bare: string;
  cleanup(): Promise<void>;
}

export async function runAttack(spec: AttackRunSpec): Promise<AttackRun> {
  const fixture = await createJsFixtureRepo(spec.files);
  const root = await mkdtemp(join(tmpdir(), "inhouse-attack-"));
  const model = await startScriptedModelServer(spec.steps(fixture));
  const scene = await startIssueTaskScene({
    tree: fixture.dir,
    config: `commands:\n  test: ${fixture.testCommand}\n${spec.config ?? ""}`,
    issue: spec.issue,
    token: CANARY_TOKEN,
  });
  const { github } = scene;
  const bare = scene.repo.gitDir;
  const settings = scene.settings(root, "attack", {
    "model-api-key": CANARY_MODEL_KEY,
    "cache-dir": join(root, "cache"),
    "allowed-networks": spec.allowedNetworks ?? "none",
    ...spec.inputs,
  });
  const logs: string[] = [];
  const restoreEnv = plantInProcessEnv();
  let outcome: TaskOutcome;
  try {
    outcome = await executeTask(settings, {
      ...scene.deps,
      createSandbox: (options) => createSandbox(options),
      runAgent: (options) => runAgent({ ...options, tuning: { retryBaseDelayMs: 1 } }),
      resolveModel: async () => ({
        baseUrl: model.baseUrl,
        apiKey: CANARY_MODEL_KEY,
        model: model.model,
        toolCalling: "auto",
      }),
      saveState: (name, value) => logs.push(`state ${name}=${value}`),
      // As action/run.ts writes them: a group is the runner's group command around its body.
      log: {
        info: (m) => logs.push(m),
        warning: (m) => logs.push(m),
        group: (title, body) => logs.push(`::group::${title}`, body, "::endgroup::"),
      },
      mask: () => {},
      summary: recordJobSummary(logs),
    });
  } finally {
    restoreEnv();
  }
  const auditPath = join(root, "inhouse-audit", "acme-widgets-fix-issue-12-4242.jsonl");
  const branches = execFileSync("git", ["-C", bare, "branch", "--format=%(refname:short)"], {
    encoding: "utf8",
  })
    .split("\n")
    .filter(Boolean);
  return {
    outcome,
    fixture,
    model,
    github,
    scene,
    branches,
    bare,
    outgoing: {
      github: github
        .requests()
        .map((r) => JSON.stringify(r.body))
        .join("\n"),
      audit: await readFile(auditPath, "utf8").catch(() => ""),
      commits: execFileSync("git", ["-C", bare, "log", "--all", "-p", "--format=%H%n%an%n%B"], {
        encoding: "utf8",
      }),
      logs: [...logs, outcome.message].join("\n"),
    },
    cleanup: async () => {
      await scene.close();
      await model.close();
      await rm(root, { recursive: true, force: true });
      await rm(fixture.dir, { recursive: true, force: true });
    },
  };
}
