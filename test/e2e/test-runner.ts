import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalGitHub } from "./local-github/local-github.ts";
import type { RunRecord } from "./local-github/state.ts";
import { inputEnvName, readFileCommands, stateEnvName } from "./test-runner/file-commands.ts";
import { StepProcess, type StepResult } from "./test-runner/step-process.ts";
import { maskLog, parseWorkflowCommands, type WorkflowCommands } from "./test-runner/workflow-commands.ts";

export interface TestRunnerOptions {
  /** Holds `main.js` and `post.js`: the committed bundle (`action/dist`) or a test double. */
  actionDir: string;
  /**
   * The action's inputs, as the workflow's `with:` would pass them. `token` is a fresh installation
   * token, standing in for what the workflow hands the action (an App token or `secrets.GITHUB_TOKEN`).
   */
  inputs: (run: RunRecord, token: string, matrix: Record<string, string>) => Record<string, string>;
  /**
   * The token the workflow mints for the run (`actions/create-github-app-token` in the template);
   * default: an installation token with every permission of the installation.
   */
  token?: (run: RunRecord) => string;
  runnerName?: string;
  /** Extra environment for both steps (e.g. DOCKER_HOST); the runner's own variables win. */
  env?: Record<string, string>;
  /** A run still going after this long is killed and fails, so a stuck action cannot hang the suite. */
  timeoutMs?: number;
  /** How long a cancelled step gets after SIGINT before SIGTERM, as GitHub's runner waits 7.5 s. */
  cancelGraceMs?: number;
}

export interface RunResult {
  run: RunRecord;
  /** The job's matrix values (`{}` without a matrix): a run with a matrix has one result per job. */
  matrix: Record<string, string>;
  main: StepResult;
  /** Undefined when the post step never ran (the runner was killed). */
  post?: StepResult;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  commands: WorkflowCommands;
  /** Both steps' output with masked values replaced, as the runner's log would show it. */
  log: string;
  how: "finished" | "cancelled" | "killed" | "timed-out";
}

interface ActiveRun {
  run: RunRecord;
  main?: StepProcess;
  how?: RunResult["how"];
}

/** Variables a real runner sets; inherited ones (say, from CI running on GitHub Actions) must not leak in. */
const RUNNER_OWNED = /^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/;

/**
 * Executes dispatched workflow runs the way a self-hosted runner executes a JavaScript action:
 * `node main.js`, then `node post.js` with what main saved, inputs as `INPUT_*` and the runner's
 * `GITHUB_*` variables, against the local GitHub. Run status moves queued → in_progress → completed,
 * and completion sends `workflow_run.completed` to the App.
 */
export class TestRunner {
  readonly results: RunResult[] = [];
  private readonly active = new Map<number, ActiveRun>();
  private readonly waiters: { match: (run: RunRecord) => boolean; resolve: (run: RunRecord) => void }[] = [];

  private constructor(
    private readonly github: LocalGitHub,
    private readonly options: TestRunnerOptions,
  ) {}

  /** Starts picking up every run dispatched on `github` from now on. */
  static attach(github: LocalGitHub, options: TestRunnerOptions): TestRunner {
    const runner = new TestRunner(github, options);
    github.onDispatch((run) => {
      github.track(runner.execute(run));
    });
    github.onCancel((run) => runner.cancel(run.id));
    return runner;
  }

  get runnerName(): string {
    return this.options.runnerName ?? "test-runner-1";
  }

  /** Resolves when a run matching `match` has started its main step (already started ones count). */
  started(match: (run: RunRecord) => boolean = () => true): Promise<RunRecord> {
    for (const { run, main } of this.active.values()) if (main && match(run)) return Promise.resolve(run);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The main step's output so far (unmasked: for failure messages in tests only). */
  outputSoFar(runId: number): string {
    return this.active.get(runId)?.main?.outputSoFar ?? "(run not active)";
  }

  /** Kills the run's process tree with SIGKILL, as if the runner machine died: no post step. */
  kill(runId: number): void {
    const active = this.active.get(runId);
    if (!active) throw new Error(`run ${runId} is not running on this test runner`);
    active.how = "killed";
    active.main?.signal("SIGKILL");
  }

  /** GitHub's cancellation: SIGINT, then SIGTERM after the grace period; the post step still runs. */
  cancel(runId: number): void {
    const active = this.active.get(runId);
    if (!active) return;
    active.how = "cancelled";
    active.main?.signal("SIGINT");
    setTimeout(() => active.main?.signal("SIGTERM"), this.options.cancelGraceMs ?? 7_500).unref();
  }

  private async execute(run: RunRecord): Promise<void> {
    const active: ActiveRun = { run };
    this.active.set(run.id, active);
    const conclusions: NonNullable<RunRecord["conclusion"]>[] = [];
    try {
      // A matrix's jobs, one after the other: one runner, as a single self-hosted runner takes them.
      for (const matrix of run.jobs) {
        const temp = await mkdtemp(join(tmpdir(), "test-runner-"));
        try {
          const result = await this.runJob(active, temp, matrix);
          this.results.push(result);
          conclusions.push(
            result.how === "cancelled"
              ? "cancelled"
              : result.how === "finished" && result.main.exitCode === 0 && result.post?.exitCode === 0
                ? "success"
                : "failure",
          );
          if (result.how === "cancelled" || result.how === "killed") break;
        } finally {
          await rm(temp, { recursive: true, force: true });
        }
      }
      const conclusion = conclusions.includes("cancelled")
        ? "cancelled"
        : conclusions.every((c) => c === "success")
          ? "success"
          : "failure";
      await this.github.completeRun(run, conclusion);
    } finally {
      this.active.delete(run.id);
    }
  }

  private async runJob(active: ActiveRun, temp: string, matrix: Record<string, string>): Promise<RunResult> {
    const { run } = active;
    const files = {
      workspace: join(temp, "work", run.repo.name, run.repo.name),
      runnerTemp: join(temp, "_temp"),
      toolCache: join(temp, "_tool"),
      output: join(temp, "_temp", "_runner_file_commands", "set_output"),
      state: join(temp, "_temp", "_runner_file_commands", "save_state"),
      summary: join(temp, "_temp", "_runner_file_commands", "step_summary"),
      env: join(temp, "_temp", "_runner_file_commands", "set_env"),
      path: join(temp, "_temp", "_runner_file_commands", "add_path"),
      event: join(temp, "_temp", "_github_workflow", "event.json"),
    };
    for (const dir of [
      files.workspace,
      files.toolCache,
      join(files.runnerTemp, "_runner_file_commands"),
      join(files.runnerTemp, "_github_workflow"),
    ]) {
      await mkdir(dir, { recursive: true });
    }
    for (const file of [files.output, files.state, files.summary, files.env, files.path])
      await writeFile(file, "");
    await writeFile(
      files.event,
      JSON.stringify({
        ...run.eventPayload,
        ...(run.event === "workflow_dispatch" ? { inputs: run.inputs } : {}),
        ref: `refs/heads/${run.headBranch}`,
        workflow: `.github/workflows/${run.workflowFile}`,
      }),
    );

    const token = this.options.token?.(run) ?? this.github.installationToken();
    const inputs = this.options.inputs(run, token, matrix);
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && !RUNNER_OWNED.test(entry[0]) && !entry[0].startsWith("VITEST"),
      ),
    );
    const env: Record<string, string> = {
      ...inherited,
      ...this.options.env,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputEnvName(name), value])),
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_API_URL: this.github.url,
      GITHUB_SERVER_URL: this.github.url,
      GITHUB_GRAPHQL_URL: `${this.github.url}/graphql`,
      GITHUB_REPOSITORY: `${run.repo.owner.login}/${run.repo.name}`,
      GITHUB_REPOSITORY_OWNER: run.repo.owner.login,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_NUMBER: String(run.runNumber),
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_WORKFLOW: run.workflowName,
      GITHUB_JOB: "agent",
      GITHUB_ACTION: "__inhouse",
      GITHUB_ACTOR: run.actor.login,
      GITHUB_TRIGGERING_ACTOR: run.actor.login,
      GITHUB_EVENT_NAME: run.event,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_REF: `refs/heads/${run.headBranch}`,
      GITHUB_REF_NAME: run.headBranch,
      GITHUB_SHA: run.headSha,
      GITHUB_WORKSPACE: files.workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
      RUNNER_NAME: this.runnerName,
      RUNNER_OS: "Linux",
      RUNNER_ARCH: "X64",
      RUNNER_TEMP: files.runnerTemp,
      RUNNER_TOOL_CACHE: files.toolCache,
      ...this.github.oidc.jobEnvironment(run),
    };

    if (run.status === "queued") this.github.startRun(run, this.runnerName);
    const main = new StepProcess(join(this.options.actionDir, "main.js"), { cwd: files.workspace, env });
    active.main = main;
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.match(run)) waiter.resolve(run);
      else this.waiters.push(waiter);
    }
    const timer = setTimeout(() => {
      active.how = "timed-out";
      main.signal("SIGKILL");
    }, this.options.timeoutMs ?? 300_000);
    const mainResult = await main.done;
    clearTimeout(timer);
    const how = active.how ?? "finished";
    const state = await readFileCommands(files.state);

    let post: StepResult | undefined;
    if (how !== "killed" && how !== "timed-out") {
      const postEnv = {
        ...env,
        ...Object.fromEntries(Object.entries(state).map(([k, v]) => [stateEnvName(k), v])),
      };
      post = await new StepProcess(join(this.options.actionDir, "post.js"), {
        cwd: files.workspace,
        env: postEnv,
      }).done;
    }
    const rawLog = [mainResult.stdout, mainResult.stderr, post?.stdout ?? "", post?.stderr ?? ""].join("\n");
    const commands = parseWorkflowCommands(`${mainResult.stdout}\n${post?.stdout ?? ""}`);
    return {
      run,
      matrix,
      main: mainResult,
      ...(post ? { post } : {}),
      outputs: await readFileCommands(files.output),
      state,
      summary: await readFile(files.summary, "utf8").catch(() => ""),
      commands,
      log: maskLog(rawLog, [token, ...commands.masks]),
      how,
    };
  }
}
