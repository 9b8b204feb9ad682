/**
 * `inhouse run`: the agent on a local repository, without GitHub. Checks the model endpoint and
 * Docker first, then runs the action's task pipeline through its local adapter
 * (`pipeline/local/run-local-task.ts`): the same workspace, sandbox, verification and publish
 * policy, with the result left as a new branch in the repository.
 */
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { RepoConfig } from "../../core/config.ts";
import { createRedactor } from "../../core/redact.ts";
import type { Store } from "../../store/store.ts";
import { runAgent } from "../agent/run-agent.ts";
import type { AgentResult } from "../agent/types.ts";
import { DEFAULT_PATCH_LIMITS } from "../job/action-inputs.ts";
import { loadModelProfiles, resolveModelProfile } from "../model/profiles.ts";
import type { ModelSettings } from "../model/types.ts";
import type { EffectiveLimits } from "../pipeline/effective-limits.ts";
import { configAtHead, repositoryRoot } from "../pipeline/local/local-repository.ts";
import { runLocalTask } from "../pipeline/local/run-local-task.ts";
import type { TaskRun } from "../pipeline/task-run.ts";
import { DEFAULT_IMAGE, ownerOf } from "../sandbox/index.ts";
import { removeLeftoverSandboxes, sessionKeeperPid, WarmPool } from "../sandbox/pool/index.ts";
import { PhaseClock } from "../summary/phases.ts";
import { usageRecord } from "../summary/usage-record.ts";
import type { CliRunOptions } from "./args.ts";
import { checkDocker, checkModelEndpoint } from "./preflight.ts";
import { createProgressPrinter, type ProgressStream } from "./progress.ts";
import { type LocalRunEnd, localRepoName, openRecording, recordLocalRun } from "./record-run.ts";
import { loadTaskText, slugify } from "./task-text.ts";

const LEFTOVER_AGE_MS = 24 * 3600_000;

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface LocalRunOutcome {
  result: AgentResult;
  branch?: string;
  diffStat?: string;
}

async function modelSettings(
  options: CliRunOptions,
  env: CliIo["env"],
  profileFromRepo?: string,
): Promise<ModelSettings & { profile: string }> {
  const profiles = options.profilesFile ? await loadModelProfiles(options.profilesFile) : undefined;
  const profile = options.profile ?? (profiles ? (profileFromRepo ?? "default") : "default");
  const settings = await resolveModelProfile(profile, {
    profiles,
    env,
    overrides: {
      baseUrl: options.baseUrl,
      model: options.model,
      apiKey: options.apiKey,
      toolCalling: options.toolCalling,
    },
  });
  return { ...settings, profile };
}

function report(io: CliIo, outcome: LocalRunOutcome, auditPath: string, noBranch = "no changes"): void {
  const { result } = outcome;
  const tokens = `${result.tokens.total}${result.tokens.estimated ? " (estimated)" : ""}`;
  const verification = result.verification
    ? `${result.verification.passed ? "passed" : "FAILED"} (\`${result.verification.command}\`, exit ${result.verification.exitCode})`
    : "not run";
  const lines = [
    `outcome:      ${result.outcome}: ${result.reason}`,
    `branch:       ${outcome.branch ?? `(none: ${noBranch})`}`,
    `verification: ${verification}`,
    `turns:        ${result.turns}`,
    `tokens:       ${tokens}`,
    `time:         ${(result.durationMs / 1000).toFixed(1)} s`,
    `audit log:    ${auditPath}`,
  ];
  if (outcome.diffStat) lines.push("", outcome.diffStat.trimEnd());
  if (result.summary) lines.push("", "summary:", result.summary);
  io.stdout.write(`${lines.join("\n")}\n`);
}

export async function runLocal(options: CliRunOptions, io: CliIo): Promise<LocalRunOutcome> {
  const progress = createProgressPrinter(io.stderr);
  const repo = await repositoryRoot(options.repo);
  const task = await loadTaskText(options.task, options.issueFile);
  const config = await configAtHead(repo);
  const model = await modelSettings(options, io.env, config.model.profile);
  await checkModelEndpoint(model);
  const image = options.image ?? DEFAULT_IMAGE;
  await checkDocker(image);
  const recording = options.record ? await openRecording(options.record) : undefined;
  if (recording) progress.line(`recording this run in the run history at ${recording.location}`);
  const started = new Date();
  const clock = new PhaseClock();
  const phases = () => clock.list();
  try {
    const outcome = await work({ options, io, progress, repo, task, config, model, image, clock });
    const { result } = outcome;
    await record(recording, repo, task.kind, started, io, {
      state: result.outcome === "finished" ? "succeeded" : io.signal?.aborted ? "cancelled" : "failed",
      reason: `${result.outcome}: ${result.reason}${outcome.branch ? ` (branch ${outcome.branch})` : ""}`,
      usage: usageRecord({
        result,
        state: "succeeded",
        phases: phases(),
        profile: model.profile,
        price: model.price,
      }),
    });
    return outcome;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const state = io.signal?.aborted ? "cancelled" : "failed";
    await record(recording, repo, task.kind, started, io, {
      state,
      reason,
      usage: usageRecord({ state, phases: phases(), profile: model.profile, price: model.price }),
    });
    throw error;
  } finally {
    await recording?.close();
  }
}

/** Records the ended run when `--record` asked for it; a recording failure is reported, never fatal. */
async function record(
  store: Store | undefined,
  repo: string,
  kind: string,
  at: Date,
  io: CliIo,
  end: LocalRunEnd,
): Promise<void> {
  if (!store) return;
  try {
    const start = { repo: await localRepoName(repo), kind, actor: localActor(io.env), at };
    await recordLocalRun(store, start, end);
    io.stderr.write(`recorded in the run history as ${start.repo.owner}/${start.repo.name} (${end.state})\n`);
  } catch (error) {
    io.stderr.write(
      `inhouse: warning: the run could not be recorded in the run history at ${store.location}: ${(error as Error).message}\n`,
    );
  }
}

function localActor(env: CliIo["env"]): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? "local";
  }
}

interface WorkContext {
  options: CliRunOptions;
  io: CliIo;
  progress: ReturnType<typeof createProgressPrinter>;
  repo: string;
  task: Awaited<ReturnType<typeof loadTaskText>>;
  config: RepoConfig;
  model: ModelSettings;
  image: string;
  clock: PhaseClock;
}

/** The runner's limits of a local run: the repository's, what the command line overrides, no network. */
function localLimits(options: CliRunOptions, config: RepoConfig, image: string): EffectiveLimits {
  return {
    agent: {
      turns: options.turns ?? config.limits.turns,
      tokens: options.tokens ?? config.limits.tokens,
      minutes: options.minutes ?? config.limits.minutes,
      callsPerTurn: config.limits.callsPerTurn,
    },
    memoryMb: config.sandbox.memoryMb,
    cpus: config.sandbox.cpus,
    pids: config.sandbox.pids,
    network: { setup: "none", agent: "none" },
    allowlist: [],
    internalRanges: [],
    image,
  };
}

async function work({
  options,
  io,
  progress,
  repo,
  task,
  config,
  model,
  image,
  clock,
}: WorkContext): Promise<LocalRunOutcome> {
  // Like the action, start by removing what ended runs left: a killed run's sandbox, the pool of a
  // terminal session that has closed. The age rule only takes what no task could still be using.
  await removeLeftoverSandboxes({ olderThanMs: LEFTOVER_AGE_MS });
  const pool = new WarmPool({
    size: options.sandboxPool,
    keeper: ownerOf(sessionKeeperPid()),
    log: { warning: (message) => progress.line(`warning: ${message}`) },
  });
  const slug = slugify(task.title);
  const auditPath = options.audit ?? join(tmpdir(), `inhouse-${slug}-${Date.now()}.audit.jsonl`);
  const redact = createRedactor([model.apiKey, ...Object.values(model.headers ?? {})].filter(Boolean));
  const run: TaskRun = {
    clock,
    enter: (phase) => {
      clock.start(phase);
      if (phase === "starting the sandbox") progress.line(`starting a sandbox (${image})`);
      else if (phase === "preparing the workspace") progress.line(`cloning ${repo} at HEAD`);
    },
    redact,
    warn: (message) => progress.line(`warning: ${message}`),
    ...(io.signal ? { signal: io.signal } : {}),
  };
  try {
    const outcome = await runLocalTask(run, {
      repo,
      text: task,
      slug,
      config,
      model,
      limits: localLimits(options, config, image),
      patchLimits: DEFAULT_PATCH_LIMITS,
      ...(options.testCommand ? { testCommand: options.testCommand } : {}),
      auditPath,
      createSandbox: (sandboxOptions) => pool.acquire(sandboxOptions),
      runAgent,
      onProgress: (event) => progress.event(event),
      note: (text) => progress.line(text),
    });
    progress.end();
    report(io, outcome, auditPath);
    return outcome;
  } catch (error) {
    // The loop ran but its change was not published (refused, say): what it did is still shown.
    progress.end();
    if (run.result) report(io, { result: run.result }, auditPath, "not published");
    throw error;
  } finally {
    await pool.settle();
  }
}
