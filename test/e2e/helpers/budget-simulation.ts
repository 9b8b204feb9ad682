// Many tasks at once in one installation, against the local GitHub's rate limits (issue 11, item 4):
// the real App (production Octokit), the action's `executeTask` in this process once per dispatched
// run (its real Octokit, token exchange, git clone, publishing), an in-memory sandbox and a scripted
// model, so what is measured is GitHub's budget, not this machine. GitHub's limits roll on a clock
// `SPEED` times faster than real time, and the clients' rate-limit waits and write pacing are
// shrunk as much, so an hour of throttling passes in 36 s.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { executeTask } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { parseSettings } from "../../../action/job/settings.ts";
import { resolveModelProfile } from "../../../action/model/profiles.ts";
import type { RunDeps, TaskOutcome } from "../../../action/pipeline/github/run-deps.ts";
import { isTerminalState, parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { createMemorySandbox } from "../../helpers/memory-sandbox.ts";
import { type RecordedRequest, startScriptedModelServer, step } from "../../helpers/scripted-model-server.ts";
import { Clock } from "../local-github/clock.ts";
import { LocalGitHub } from "../local-github/local-github.ts";
import type { RateLimitOptions, Usage } from "../local-github/rate-limits.ts";
import type { IssueRecord, RepoRecord, RunRecord } from "../local-github/state.ts";
import { type AppUnderTest, startApp } from "./app-under-test.ts";
import { BUG, TEST_COMMAND, widgetFiles } from "./scenario-one.ts";

/** GitHub's clock runs this many times faster than real time, unless the simulation says otherwise. */
export const SPEED = 100;
const RUNNER = "budget-runner";

export interface SimulationOptions {
  tasks: number;
  /** Model turns per task (the last three fix, test and finish). */
  turns: number;
  /** The installation's limits; GitHub's (5,000 requests, 80 and 500 writes) by default. */
  limits?: RateLimitOptions;
  /** Real time the whole simulation may take; past it, it fails with every unfinished task's state. */
  deadlineMs: number;
  /**
   * How many times faster than real time GitHub's clock runs (default `SPEED`); the App's and the
   * action's waits shrink as much. Lower it when the machine is slow to make the writes: the limits
   * only bite when the writes come faster, on GitHub's clock, than GitHub allows.
   */
  speed?: number;
  /**
   * "on-refusal": GitHub's clock stands still and jumps a minute each time a limit has refused a
   * request, so the limits bite however slowly this machine makes the writes (tests); the clients'
   * waits still shrink by `speed`. Default "running": the clock runs `speed` times faster.
   */
  clock?: "running" | "on-refusal";
}

export interface TaskEnd {
  issue: number;
  /** The status comments on the issue (one expected) and the last one's state and text. */
  statusComments: number;
  state: string;
  text: string;
  /** PRs that close the issue (one expected). */
  prs: number;
  /** The action's outcome, when its run ended. */
  outcome?: TaskOutcome;
}

export interface SimulationResult {
  tasks: TaskEnd[];
  /** What the installation spent (App and action), and how often a limit refused it. */
  usage: Usage;
  /** Bot comments that are not status comments (refusals, "already running"): none expected. */
  strayComments: number;
  /** Real seconds from the labels to the last task's end, and GitHub's (simulated) minutes. */
  realSeconds: number;
  simulatedMinutes: number;
}

/** plugin-throttling's limiter groups for one runner, pacing writes as GitHub asks, on GitHub's clock. */
function runnerGroups(speed: number): Record<string, unknown> {
  const paced = (minTimeMs: number) => {
    let chain: Promise<unknown> = Promise.resolve();
    let lastStart = Number.NEGATIVE_INFINITY;
    const limiter = {
      schedule: (_options: unknown, job: () => Promise<unknown>) => {
        const run = chain.then(async () => {
          const wait = lastStart + minTimeMs - Date.now();
          if (wait > 0) await sleep(wait);
          lastStart = Date.now();
          return job();
        });
        chain = run.catch(() => undefined);
        return run;
      },
    };
    return { key: () => limiter };
  };
  // Each runner is its own process with its own limiters (the plugin's are per process).
  const free = { key: () => ({ schedule: (_o: unknown, job: () => Promise<unknown>) => job() }) };
  return {
    global: free,
    auth: free,
    search: paced(2_000 / speed),
    write: paced(1_000 / speed),
    notifications: paced(3_000 / speed),
  };
}

/** The model: explores, then fixes, tests and finishes, by how many turns the conversation has had. */
function modelFor(turns: number) {
  return (request: RecordedRequest) => {
    const turn = request.body.messages.filter((m) => m.role === "assistant").length + 1;
    if (turn <= turns - 3) return step.tool("read_file", { path: turn % 2 ? BUG.path : "README.md" });
    if (turn === turns - 2)
      return step.tool("edit_file", { path: BUG.path, oldText: BUG.broken, newText: BUG.fixed });
    if (turn === turns - 1) return step.tool("run", { command: TEST_COMMAND });
    return step.tool("finish", { summary: `Fixed the operator in ${BUG.path}.` });
  };
}

/** Runs `tasks` fix-issue tasks at once in one installation and reports how each ended. */
export async function simulateConcurrentTasks(options: SimulationOptions): Promise<SimulationResult> {
  const speed = options.speed ?? SPEED;
  const github = await LocalGitHub.start({ owner: "budget" });
  const started = Date.now();
  const onRefusal = options.clock === "on-refusal";
  const clock = new Clock(onRefusal ? () => started : () => started + (Date.now() - started) * speed);
  github.rateLimits.useClock(clock);
  let refusals = 0;
  const ticker = onRefusal
    ? setInterval(() => {
        if (github.usage().limited === refusals) return;
        refusals = github.usage().limited;
        clock.advance(61_000);
      }, 50)
    : undefined;
  if (options.limits) github.rateLimits.configure(options.limits);
  const model = await startScriptedModelServer([]);
  model.push(...Array.from({ length: options.tasks * options.turns * 2 }, () => modelFor(options.turns)));
  let app: AppUnderTest | undefined;
  const scratch = await mkdtemp(join(tmpdir(), "budget-simulation-"));
  const outcomes = new Map<number, TaskOutcome>();
  const failures: string[] = [];
  try {
    app = await startApp(github, { octokit: "production", productionWaitMs: 1_000 / speed });
    const repo = await github.createRepo("widget", await widgetFiles());
    github.addCollaborator(repo, "alice", "write");
    github.onDispatch((run) => {
      github.track(
        runTask(github, app!, model, run, join(scratch, `run-${run.id}`), speed)
          .then((outcome) => outcomes.set(run.id, outcome))
          .catch((error: unknown) => failures.push(`run ${run.id}: ${(error as Error).stack ?? error}`)),
      );
    });
    const issues = Array.from({ length: options.tasks }, (_, i) =>
      github.openIssue(repo, { title: `sum subtracts (${i + 1})`, body: "sum(2, 3) is -1", user: "alice" }),
    );
    const labelled = Date.now();
    await Promise.all(issues.map((issue) => github.labelIssue(issue, "agent", "alice")));
    await settleWithin(github, app, options.deadlineMs, () =>
      describeTasks(github, repo, issues, outcomes, failures),
    );
    if (failures.length > 0) throw new Error(`the simulated runner failed:\n${failures.join("\n")}`);
    const realSeconds = (Date.now() - labelled) / 1000;
    const bot = github.credentials.botLogin;
    return {
      tasks: taskEnds(github, repo, issues, outcomes),
      usage: github.usage(),
      strayComments: github.state.comments.filter(
        (c) => c.user.login === bot && parseStatusMarker(c.body) === undefined,
      ).length,
      realSeconds,
      simulatedMinutes: onRefusal ? (clock.now() - started) / 60_000 : (realSeconds * speed) / 60,
    };
  } finally {
    clearInterval(ticker);
    await app?.close();
    await github.close().catch(() => undefined);
    await model.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Waits for every delivery and run to settle; past the deadline, fails with what each task shows. */
async function settleWithin(
  github: LocalGitHub,
  app: AppUnderTest,
  deadlineMs: number,
  describe: () => string,
): Promise<void> {
  const settle = async () => {
    do {
      await github.idle();
      await app.idle();
    } while (github.busy || app.busy);
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the simulation did not settle in ${deadlineMs} ms:\n${describe()}`)),
      deadlineMs,
    );
  });
  try {
    await Promise.race([settle(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The PR body closes this issue (`Closes #4`, not `Closes #40`). */
const closes = (body: string | null | undefined, issue: number) =>
  new RegExp(`Closes #${issue}(?!\\d)`).test(body ?? "");

function taskEnds(
  github: LocalGitHub,
  repo: RepoRecord,
  issues: IssueRecord[],
  outcomes: Map<number, TaskOutcome>,
): TaskEnd[] {
  const bot = github.credentials.botLogin;
  return issues.map((issue) => {
    const statuses = github
      .commentsOn(issue)
      .filter((c) => c.user.login === bot)
      .flatMap((c) => {
        const marker = parseStatusMarker(c.body);
        return marker ? [{ marker, text: statusText(c.body) }] : [];
      });
    const last = statuses.at(-1);
    const run = github.state.runs.find((r) => r.inputs.task?.includes(`"number":${issue.number},`));
    const outcome = run ? outcomes.get(run.id) : undefined;
    return {
      issue: issue.number,
      statusComments: statuses.length,
      state: last?.marker.state ?? "none",
      text: last?.text.split("\n")[0] ?? "",
      prs: github.pulls(repo).filter((pull) => closes(pull.body, issue.number)).length,
      ...(outcome ? { outcome } : {}),
    };
  });
}

/** One line per task that has not ended well: the diagnostics of a failed or stuck simulation. */
function describeTasks(
  github: LocalGitHub,
  repo: RepoRecord,
  issues: IssueRecord[],
  outcomes: Map<number, TaskOutcome>,
  failures: string[],
): string {
  const usage = github.usage();
  const lines = taskEnds(github, repo, issues, outcomes)
    .filter((t) => !isTerminalState(t.state as never) || t.prs !== 1)
    .map((t) => {
      const run = github.state.runs.find((r) => r.inputs.task?.includes(`"number":${t.issue},`));
      return `  #${t.issue}: status ${t.state} "${t.text}", PRs ${t.prs}, run ${run ? `${run.id} ${run.status}` : "none"}`;
    });
  return [
    `installation: ${usage.requests} requests, ${usage.writes} writes, ${usage.limited} refused by a limit`,
    ...lines,
    ...failures,
  ].join("\n");
}

/** What a runner does with one dispatched run: the action's main step, in this process. */
async function runTask(
  github: LocalGitHub,
  app: AppUnderTest,
  model: { baseUrl: string; model: string },
  run: RunRecord,
  root: string,
  speed: number,
): Promise<TaskOutcome> {
  github.startRun(run, RUNNER);
  await mkdir(join(root, "temp"), { recursive: true });
  const jobEnv = github.oidc.jobEnvironment(run);
  const env: NodeJS.ProcessEnv = {
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: github.url,
    GITHUB_REPOSITORY: `${run.repo.owner.login}/${run.repo.name}`,
    GITHUB_RUN_ID: String(run.id),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_EVENT_NAME: run.event,
    GITHUB_ACTOR: run.actor.login,
    GITHUB_TRIGGERING_ACTOR: run.actor.login,
    RUNNER_NAME: RUNNER,
    RUNNER_TEMP: join(root, "temp"),
    RUNNER_TOOL_CACHE: join(root, "tool"),
    ...jobEnv,
  };
  const inputs: Record<string, string> = {
    task: run.inputs.task ?? "",
    "app-url": app.url,
    "app-id": String(github.app.id),
    "model-base-url": model.baseUrl,
    "model-api-key": "budget-model-key",
    "model-name": model.model,
    "cache-dir": join(root, "cache"),
    "audit-dir": join(root, "audit"),
    "status-interval-seconds": "1",
    "sandbox-pool": "0",
  };
  const settings = parseSettings(
    (name) => inputs[name] ?? "",
    () => {},
    env,
  );
  const deps: RunDeps = {
    github: (token, baseUrl) =>
      createGitHubClient({
        token,
        baseUrl,
        retry: {
          retryAfterBaseMs: 1_000 / speed,
          limiterGroups: runnerGroups(speed),
          writeOnce: { attempts: 3, baseDelayMs: 1_000 / speed },
        },
      }),
    idToken: async (audience) => {
      const url = new URL(jobEnv.ACTIONS_ID_TOKEN_REQUEST_URL ?? "");
      url.searchParams.set("audience", audience);
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${jobEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
      });
      return ((await response.json()) as { value: string }).value;
    },
    createSandbox: async () => createMemorySandbox({}, () => ({ stdout: "ok\n" })),
    runAgent,
    resolveModel: async (s, profile) => resolveModelProfile(profile, { overrides: s.model.overrides }),
    remoteUrl: (owner, name) => `${github.url}/${owner}/${name}.git`,
    saveState: () => {},
    log: { info: () => {}, warning: () => {}, group: () => {} },
    mask: () => {},
  };
  const outcome = await executeTask(settings, deps);
  await github.completeRun(run, outcome.state === "succeeded" ? "success" : "failure");
  return outcome;
}
