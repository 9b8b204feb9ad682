import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import type { AgentResult, AgentRunOptions } from "../../../action/agent/types.ts";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import type { RunDeps, TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import type { SummaryWriter } from "../../../action/summary/job-summary.ts";
import type { Task } from "../../../core/task.ts";
import { APP_DISPATCHED_RUN, APP_ID_INPUT, appStatusComment } from "../../helpers/app-status-comment.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import { API, noWaitRetry } from "../github/fixtures.ts";
import { createOrigin, type Origin } from "../workspace/origin.ts";

export const TOKEN = "ghs_CANARYrunToken0123456789abcdefABCD";
export const MODEL_KEY = "sk-CANARYmodelKey0123456789abcdef";
export const REPO = "/repos/acme/widgets";

export function agentResult(overrides: Partial<AgentResult> = {}): AgentResult {
  return {
    outcome: "finished",
    reason: "the model finished and the tests pass",
    summary: "Return early on empty input.",
    verification: { command: "npm test", passed: true, exitCode: 0, outputTail: "ok 3 tests\n" },
    reviewComments: [],
    turns: 6,
    tokens: { prompt: 9000, completion: 1000, total: 10_000, estimated: false },
    durationMs: 61_000,
    ...overrides,
  };
}

export interface Harness {
  origin: Origin;
  sandboxes: (Sandbox & { root: string })[];
  statusBodies: string[];
  agentCalls: AgentRunOptions[];
  /** Model profiles the run asked for, in order. */
  profiles: string[];
  state: Record<string, string>;
  masked: string[];
  /** What the job summary would hold: headings, raw text and table rows, in order. */
  summary: string[];
  /** More action inputs for the next runs (say, `status-interval-seconds`). */
  inputs: Record<string, string>;
  run(
    task: Task,
    agent: (options: AgentRunOptions) => Promise<AgentResult>,
    signal?: AbortSignal,
    /** What the runner reports about the run; default: the test App dispatched it. */
    runEnv?: Record<string, string>,
  ): Promise<TaskOutcome>;
  /** The automations workflow's run: input `automation`, the run's event and actor from the runner's environment. */
  runAutomation(
    run: { automation: string; event: string; actor: string },
    agent: (options: AgentRunOptions) => Promise<AgentResult>,
  ): Promise<TaskOutcome>;
}

/** Everything but the agent loop is real: git, the workspace, publishing, Octokit (against nock). */
export async function createHarness(
  files: Record<string, string> = { "src/parse.ts": "export const parse = 1;\n" },
) {
  const origin = await createOrigin(files);
  const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
  const runnerTemp = await mkdtemp(join(tmpdir(), "inhouse-runner-temp-"));
  const harness: Harness = {
    origin,
    sandboxes: [],
    statusBodies: [],
    agentCalls: [],
    profiles: [],
    state: {},
    masked: [],
    summary: [],
    inputs: {},
    run(task, agent, signal, runEnv = APP_DISPATCHED_RUN) {
      // The App's status comment the task names: what the authenticity check reads first.
      if (task.statusCommentId !== undefined) {
        nock(API).get(`${REPO}/issues/comments/${task.statusCommentId}`).reply(200, appStatusComment(task));
      }
      return execute({ task: JSON.stringify(task) }, runEnv, agent, signal);
    },
    runAutomation(run, agent) {
      return execute(
        { automation: run.automation },
        { GITHUB_EVENT_NAME: run.event, GITHUB_ACTOR: run.actor, GITHUB_TRIGGERING_ACTOR: run.actor },
        agent,
      );
    },
  };

  async function execute(
    source: Record<string, string>,
    runEnv: Record<string, string>,
    agent: (options: AgentRunOptions) => Promise<AgentResult>,
    signal?: AbortSignal,
  ): Promise<TaskOutcome> {
    const inputs: Record<string, string> = {
      ...source,
      "github-token": TOKEN,
      ...APP_ID_INPUT,
      "model-api-key": MODEL_KEY,
      "cache-dir": cache,
      "allowed-networks": "none",
      ...harness.inputs,
    };
    const settings = parseSettings(
      (name) => inputs[name] ?? "",
      (secret) => harness.masked.push(secret),
      {
        GITHUB_REPOSITORY: "acme/widgets",
        GITHUB_RUN_ID: "77",
        RUNNER_TEMP: runnerTemp,
        RUNNER_NAME: "runner-1",
        ...runEnv,
      },
    );
    const deps: RunDeps = {
      github: (token) => createGitHubClient({ token, retry: { ...noWaitRetry, retries: 1 } }),
      createSandbox: async () => {
        const sandbox = await createLocalSandbox();
        harness.sandboxes.push(sandbox);
        return sandbox;
      },
      runAgent: async (options) => {
        harness.agentCalls.push(options);
        return agent(options);
      },
      resolveModel: async (_settings, profile) => {
        harness.profiles.push(profile);
        return { baseUrl: "http://127.0.0.1:9/v1", apiKey: MODEL_KEY, model: "scripted" };
      },
      remoteUrl: () => origin.url,
      saveState: (name, value) => {
        harness.state[name] = value;
      },
      log: { info: () => {}, warning: () => {} },
      mask: (secret) => harness.masked.push(secret),
      summary: summaryRecorder(harness.summary),
      signal,
    };
    return executeTask(settings, deps);
  }
  return harness;
}

function summaryRecorder(out: string[]): SummaryWriter {
  const writer: SummaryWriter = {
    addHeading: (text) => {
      out.push(`# ${text}`);
      return writer;
    },
    addRaw: (text) => {
      out.push(text);
      return writer;
    },
    addTable: (rows) => {
      for (const row of rows)
        out.push(row.map((cell) => (typeof cell === "string" ? cell : cell.data)).join(" | "));
      return writer;
    },
    write: async () => writer,
  };
  return writer;
}

/** Status comment edits: recorded, in order, and asserted by the test. */
export function statusScope(harness: Harness, commentId = 900) {
  return nock(API)
    .persist()
    .patch(`${REPO}/issues/comments/${commentId}`, (body) => {
      harness.statusBodies.push(body.body);
      return true;
    })
    .reply(200, { id: commentId });
}

export interface ContextOptions {
  config?: string;
  permission?: string;
  issue?: Record<string, unknown>;
  comments?: unknown[];
  number?: number;
}

/** The GET calls every task makes before the workspace: repo, config, permission, thread. */
export function contextScope(options: ContextOptions = {}) {
  const number = options.number ?? 12;
  const scope = nock(API)
    .get(REPO)
    .reply(200, { default_branch: "main" })
    .get(`${REPO}/contents/.github%2Fagent.yml`)
    .query({ ref: "main" });
  const withConfig = options.config
    ? scope.reply(200, {
        type: "file",
        content: Buffer.from(options.config).toString("base64"),
        encoding: "base64",
      })
    : scope.reply(404, { message: "Not Found" });
  const withPermission = withConfig
    .get(`${REPO}/collaborators/alice/permission`)
    .reply(200, { permission: options.permission ?? "write", role_name: options.permission ?? "write" });
  if (options.permission === "read") return withPermission;
  return withPermission
    .get(`${REPO}/issues/${number}`)
    .reply(200, {
      title: "Parser crashes on empty input; `rm -rf` $(whoami)",
      body: "Empty string throws.",
      state: "open",
      user: { login: "bob" },
      ...options.issue,
    })
    .get(`${REPO}/issues/${number}/comments`)
    .query({ per_page: "100" })
    .reply(200, options.comments ?? []);
}
