/**
 * The whole action on the local GitHub, for the action's run tests. A test file starts one local
 * GitHub (`startActionGitHub`) and each test makes a repository of its own on it
 * (`createHarness`), so tests share the server but no state. Everything but the agent loop (a
 * function per test) and the sandbox (a host directory) is real: settings, Octokit against the
 * local GitHub's API, git clone and push over its smart HTTP, publishing with GitHub's rules.
 * Tests assert on what GitHub then holds and on the requests it recorded.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentResult, AgentRunOptions } from "../../../action/agent/types.ts";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import type { RunDeps, TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import type { Task, TaskKind } from "../../../core/task.ts";
import { taskTokenPermissions } from "../../../core/task-token-permissions.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { RecordedRequest } from "../../e2e/local-github/router.ts";
import type { IssueRecord, PushRecord, RepoRecord, Role } from "../../e2e/local-github/state.ts";
import { APP_DISPATCHED_RUN, APP_ID_INPUT, TEST_APP } from "../../helpers/app-status-comment.ts";
import { recordJobSummary } from "../../helpers/job-summary-recorder.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import { BEFORE, makeTask, noWaitRetry } from "../github/fixtures.ts";
import { postAppStatusComment } from "./issue-task-scene.ts";

export const TOKEN = "ghs_CANARYrunToken0123456789abcdefABCD";
export const MODEL_KEY = "sk-CANARYmodelKey0123456789abcdef";
export const OWNER = "acme";
/**
 * A test's time limit: a run clones and pushes over the local GitHub's git HTTP (each push through
 * its push gate); on a loaded 2-core machine a publishing test took up to 23 s, close to vitest's
 * 30 s default.
 */
export const RUN_TIMEOUT_MS = 60_000;

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

/** The local GitHub a test file's harnesses share: the `acme` organisation with the test App installed. */
export function startActionGitHub(): Promise<LocalGitHub> {
  return LocalGitHub.start({ owner: OWNER, app: TEST_APP });
}

/** A comment already on the thread when the task starts (GitHub's `created_at` / `updated_at`). */
export interface ThreadComment {
  user: string;
  body: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ThreadOptions {
  /** The issue or pull request number (default 12). */
  number?: number;
  title?: string;
  body?: string;
  comments?: ThreadComment[];
}

export interface Harness {
  github: LocalGitHub;
  /** This test's repository (`acme/widgets-<n>`), its default branch `main`. */
  repo: RepoRecord;
  sandboxes: (Sandbox & { root: string })[];
  agentCalls: AgentRunOptions[];
  /** Model profiles the run asked for, in order. */
  profiles: string[];
  state: Record<string, string>;
  masked: string[];
  /** What the job summary would hold: headings, raw text and table rows, in order. */
  summary: string[];
  /** More action inputs for the next runs (say, `status-interval-seconds`). */
  inputs: Record<string, string>;
  /** Issue #12 (or `number`) opened by bob, with its earlier comments. */
  openIssue(options?: ThreadOptions): IssueRecord;
  /** A task on `thread` whose status comment the App wrote there, as the App dispatches it. */
  dispatch(thread: IssueRecord, overrides?: Partial<Task>): Task;
  /** The bodies the action wrote to a status comment, edit by edit. */
  statusBodies(commentId: number): string[];
  /** The requests this harness's runs made, as GitHub's route templates (`GET /repos/{owner}/{repo}`). */
  calls(): string[];
  /** What the local GitHub recorded for this harness's runs. */
  requests(): RecordedRequest[];
  /** Ref updates of this repository (git pushes and API commits), in order. */
  pushes(): PushRecord[];
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

let repos = 0;

export interface HarnessOptions {
  files?: Record<string, string>;
  /** The text of `.github/agent.yml` on the default branch; none when absent. */
  config?: string;
  /** alice's role in the repository (default write): she asks for the tasks. */
  permission?: Role;
}

/** A repository of its own on `github` and an action run against it. */
export async function createHarness(github: LocalGitHub, options: HarnessOptions = {}): Promise<Harness> {
  repos += 1;
  const files = options.files ?? { "src/parse.ts": "export const parse = 1;\n" };
  const repo = await github.createRepo(`widgets-${repos}`, {
    ...files,
    ...(options.config !== undefined ? { ".github/agent.yml": options.config } : {}),
  });
  github.addCollaborator(repo, "alice", options.permission ?? "write");
  const cache = await mkdtemp(join(tmpdir(), "inhouse-cache-"));
  const runnerTemp = await mkdtemp(join(tmpdir(), "inhouse-runner-temp-"));
  const firstRequest = github.requests().length;
  const harness: Harness = {
    github,
    repo,
    sandboxes: [],
    agentCalls: [],
    profiles: [],
    state: {},
    masked: [],
    summary: [],
    inputs: {},
    openIssue(thread = {}) {
      repo.nextNumber = thread.number ?? 12;
      const issue = github.openIssue(repo, {
        title: thread.title ?? "Parser crashes on empty input; `rm -rf` $(whoami)",
        body: thread.body ?? "Empty string throws.",
        user: "bob",
      });
      for (const comment of thread.comments ?? []) addComment(issue, comment);
      return issue;
    },
    dispatch(thread, overrides = {}) {
      const task = makeTask({ repo: { owner: OWNER, name: repo.name }, number: thread.number, ...overrides });
      return postAppStatusComment(github, thread, task);
    },
    statusBodies: (commentId) =>
      harness
        .requests()
        .filter((r) => r.method === "PATCH" && r.path.endsWith(`/issues/comments/${commentId}`))
        .map((r) => (r.body as { body: string }).body),
    calls: () => harness.requests().map((r) => r.route ?? `${r.method} ${r.path}`),
    requests: () => github.requests().slice(firstRequest),
    pushes: () => github.pushes().filter((push) => push.repo === `${OWNER}/${repo.name}`),
    run(task, agent, signal, runEnv = APP_DISPATCHED_RUN) {
      return execute({ task: JSON.stringify(task) }, task.kind, runEnv, agent, signal);
    },
    runAutomation(run, agent) {
      return execute(
        { automation: run.automation },
        "automation",
        { GITHUB_EVENT_NAME: run.event, GITHUB_ACTOR: run.actor, GITHUB_TRIGGERING_ACTOR: run.actor },
        agent,
      );
    },
  };

  /** A comment written before the task, with the times the test gives (GitHub's clock otherwise). */
  function addComment(issue: IssueRecord, comment: ThreadComment): void {
    const record = github.state.createComment(issue, comment.body, github.state.user(comment.user));
    record.createdAt = comment.createdAt ?? BEFORE;
    record.updatedAt = comment.updatedAt ?? record.createdAt;
  }

  async function execute(
    source: Record<string, string>,
    kind: TaskKind,
    runEnv: Record<string, string>,
    agent: (options: AgentRunOptions) => Promise<AgentResult>,
    signal?: AbortSignal,
  ): Promise<TaskOutcome> {
    // The runner's token, as the workflow mints it for the task's kind: this repository only.
    const token = github.canaryInstallationToken(TOKEN, {
      permissions: taskTokenPermissions(kind),
      repositories: [repo.name],
    });
    const inputs: Record<string, string> = {
      ...source,
      "github-token": token,
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
        GITHUB_REPOSITORY: `${OWNER}/${repo.name}`,
        GITHUB_SERVER_URL: github.url,
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: "77",
        RUNNER_TEMP: runnerTemp,
        RUNNER_NAME: "runner-1",
        ...runEnv,
      },
    );
    const deps: RunDeps = {
      github: (token) =>
        createGitHubClient({ token, baseUrl: github.url, retry: { ...noWaitRetry, retries: 1 } }),
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
      remoteUrl: (owner, name) => `${github.url}/${owner}/${name}.git`,
      saveState: (name, value) => {
        harness.state[name] = value;
      },
      log: { info: () => {}, warning: () => {} },
      mask: (secret) => harness.masked.push(secret),
      summary: recordJobSummary(harness.summary),
      signal,
    };
    return executeTask(settings, deps);
  }
  return harness;
}
