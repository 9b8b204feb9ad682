import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { type SavedState, STATE_KEY } from "../../../action/pipeline/github/saved-state.ts";
import { ownerOf } from "../../../action/sandbox/index.ts";
import { runnerKeeperFrom } from "../../../action/sandbox/pool/index.ts";
import type { IntakeSettings } from "../../../app/intake/settings.ts";
import { taskTokenPermissions } from "../../../core/task-token-permissions.ts";
import {
  type ScriptedModelServer,
  type ScriptedStep,
  startScriptedModelServer,
} from "../../helpers/scripted-model-server.ts";
import { drainWarmPool } from "../../helpers/warm-pool.ts";
import { LocalGitHub, type LocalGitHubOptions } from "../local-github/local-github.ts";
import type { RunRecord } from "../local-github/state.ts";
import { TestRunner } from "../test-runner.ts";
import { type AppUnderTest, type StartAppOptions, startApp } from "./app-under-test.ts";

/** The action bundle a real runner would execute (`action.yml` → `dist/main.js`, `post: dist/post.js`). */
export const ACTION_DIST = join(import.meta.dirname, "../../../action/dist");
/** The workflow a target repository installs, shipped in this repository. */
export const AGENT_WORKFLOW_PATH = join(import.meta.dirname, "../../../.github/workflows/agent.yml");
/** The automations workflow a target repository installs beside it. */
export const AUTOMATIONS_WORKFLOW_PATH = join(
  import.meta.dirname,
  "../../../.github/workflows/agent-automations.yml",
);
export const SANDBOX_IMAGE = process.env.INHOUSE_SANDBOX_IMAGE ?? "inhouse-sandbox:latest";

export interface WholeSystem {
  github: LocalGitHub;
  app: AppUnderTest;
  runner: TestRunner;
  model: ScriptedModelServer;
  /** The account everything lives under; unique per system so container labels never collide with other tests. */
  owner: string;
  /** Where the action writes its audit logs (one JSON line per model request, tool call, verification). */
  auditDir: string;
  /** Waits until no webhook, workflow run or App delivery is in flight. */
  settle(): Promise<void>;
  /** Sandbox containers (running or not) created for a repository of this system. */
  containers(repo: string): Promise<Docker.ContainerInfo[]>;
  /** Force-removes this system's sandboxes (a killed runner leaves its own behind). */
  removeContainers(): Promise<string[]>;
  close(): Promise<void>;
}

export interface WholeSystemOptions extends Pick<LocalGitHubOptions, "manifest"> {
  /**
   * A token given to each run as `github-token` (a runner that cannot reach the App). Default: none;
   * the action trades the job's OIDC token with the App (`app-url`), as the workflow template does.
   */
  runnerToken?: (github: LocalGitHub, run: RunRecord) => string;
  /** The runner's `sandbox-pool` input; unset, the action's default (one warm sandbox per profile). */
  sandboxPool?: string;
  /** More action inputs (say, a short `github-timeout-seconds`), and environment for its steps. */
  runnerInputs?: Record<string, string>;
  runnerEnv?: Record<string, string>;
  /** The App's Octokit: "production" keeps retry, throttling and write-once (fault scenarios). */
  appOctokit?: StartAppOptions["octokit"];
  /** Outside signals (Sentry, Slack, the API) for the system's owner: its name is random. */
  intake?: (owner: string) => IntakeSettings;
  /** The App-wide default runner repository (INHOUSE_DEFAULT_RUNNER_REPO): a repository name under the owner. */
  defaultRunnerRepoName?: string;
}

/** The local GitHub, the real App, a test runner executing the committed bundle, and a scripted model. */
export async function startWholeSystem(
  script: ScriptedStep[] = [],
  {
    runnerToken,
    sandboxPool,
    appOctokit,
    runnerInputs = {},
    runnerEnv,
    intake,
    defaultRunnerRepoName,
    ...options
  }: WholeSystemOptions = {},
): Promise<WholeSystem> {
  const owner = `e2e-${randomBytes(3).toString("hex")}`;
  const github = await LocalGitHub.start({ owner, ...options });
  const model = await startScriptedModelServer(script);
  const app = await startApp(github, {
    ...(appOctokit ? { octokit: appOctokit } : {}),
    ...(intake ? { intake: intake(owner) } : {}),
    ...(defaultRunnerRepoName ? { defaultRunnerRepo: `${owner}/${defaultRunnerRepoName}` } : {}),
  });
  const scratch = await mkdtemp(join(tmpdir(), "whole-system-"));
  const runner = TestRunner.attach(github, {
    actionDir: ACTION_DIST,
    runnerName: "e2e-runner",
    // Both templates trade the job's OIDC token with the App unless the test gives a token.
    token: (run: RunRecord) =>
      runnerToken
        ? runnerToken(github, run)
        : github.installationToken({
            permissions: taskTokenPermissions("automation"),
            repositories: [run.repo.name],
          }),
    // What the templates' `with:` pass: agent.yml the task, agent-automations.yml the job's
    // matrix.automation and the App's bot as the commits' author.
    inputs: (run, token, matrix) => ({
      task: run.inputs.task ?? "",
      ...(matrix.automation
        ? { automation: matrix.automation, "author-name": github.credentials.botLogin }
        : {}),
      ...(runnerToken ? { "github-token": token } : { "app-url": app.url }),
      "app-id": String(github.app.id),
      "model-base-url": model.baseUrl,
      "model-api-key": "e2e-model-key",
      "model-name": model.model,
      image: SANDBOX_IMAGE,
      "cache-dir": join(scratch, "cache"),
      "audit-dir": join(scratch, "audit"),
      "status-interval-seconds": "1",
      "max-minutes": "5",
      ...(sandboxPool === undefined ? {} : { "sandbox-pool": sandboxPool }),
      ...runnerInputs,
    }),
    ...(runnerEnv ? { env: runnerEnv } : {}),
    timeoutMs: 240_000,
    cancelGraceMs: 5_000,
  });
  const docker = new Docker();
  // A sandbox made for a task carries its repository's label; one claimed from the warm pool was
  // made before its task was known, so it is found by the id the run recorded.
  const containers = async (repo?: string): Promise<Docker.ContainerInfo[]> => {
    const all = await docker.listContainers({ all: true, filters: { label: ["inhouse.sandbox=1"] } });
    const recorded = new Set(
      runner.results
        .filter((result) => repo === undefined || result.run.repo.name === repo)
        .map((result) => recordedContainer(result.state)),
    );
    const prefix = repo === undefined ? `${owner}/` : `${owner}/${repo}`;
    return all.filter(
      (info) =>
        recorded.has(info.Id) ||
        (repo === undefined
          ? info.Labels["inhouse.repo"]?.startsWith(prefix)
          : info.Labels["inhouse.repo"] === prefix),
    );
  };
  const removeContainers = async (): Promise<string[]> => {
    const ours = await containers();
    for (const info of ours) await docker.getContainer(info.Id).remove({ force: true, v: true });
    await drainWarmPool(ownerOf(runnerKeeperFrom(process.pid)));
    return ours.map((info) => info.Id);
  };
  return {
    github,
    app,
    runner,
    model,
    owner,
    auditDir: join(scratch, "audit"),
    settle: async () => {
      do {
        await github.idle();
        await app.idle();
      } while (github.busy || app.busy);
    },
    containers: (repo) => containers(repo),
    removeContainers,
    close: async () => {
      await removeContainers();
      await app.close();
      await github.close();
      await model.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** The sandbox a run recorded in its saved state (`STATE_KEY`), for the post step. */
function recordedContainer(state: Record<string, string>): string | undefined {
  try {
    return (JSON.parse(state[STATE_KEY] ?? "{}") as SavedState).containerId;
  } catch {
    return undefined;
  }
}

export async function agentWorkflow(): Promise<string> {
  return readFile(AGENT_WORKFLOW_PATH, "utf8");
}
