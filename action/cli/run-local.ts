/**
 * `inhouse run`: the agent on a local repository, without GitHub. Checks the model endpoint and
 * Docker first, clones the repository to a temp dir, runs the loop in a sandbox, and pushes the
 * result back as a new branch.
 */
import { rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../core/config.ts";
import { formatErrors } from "../../core/result.ts";
import type { Store } from "../../store/store.ts";
import { runAgent } from "../agent/run-agent.ts";
import type { AgentResult, ModelSettings } from "../agent/types.ts";
import { loadModelProfiles, resolveModelProfile } from "../model/profiles.ts";
import {
  DEFAULT_IMAGE,
  type DockerSandbox,
  ownerOf,
  removeLeftoverSandboxes,
  sessionKeeperPid,
  WarmPool,
} from "../sandbox/index.ts";
import { usageRecord } from "../summary/usage-record.ts";
import type { CliRunOptions } from "./args.ts";
import {
  cloneToTemp,
  commitAndPushBack,
  freeBranchName,
  git,
  hasUncommittedChanges,
  repositoryRoot,
} from "./local-git.ts";
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

/** The repository's config as committed at HEAD (what the clone gets), read without touching its tree. */
async function repoConfig(repo: string): Promise<RepoConfig> {
  let text: string;
  try {
    text = await git(repo, ["show", `HEAD:${CONFIG_PATH}`]);
  } catch {
    return defaultConfig();
  }
  const parsed = loadConfig(text);
  if (!parsed.ok) throw new Error(`${CONFIG_PATH} is invalid:\n${formatErrors(parsed.errors)}`);
  return parsed.value;
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

function report(io: CliIo, outcome: LocalRunOutcome, auditPath: string): void {
  const { result } = outcome;
  const tokens = `${result.tokens.total}${result.tokens.estimated ? " (estimated)" : ""}`;
  const verification = result.verification
    ? `${result.verification.passed ? "passed" : "FAILED"} (\`${result.verification.command}\`, exit ${result.verification.exitCode})`
    : "not run";
  const lines = [
    `outcome:      ${result.outcome}: ${result.reason}`,
    `branch:       ${outcome.branch ?? "(none: no changes)"}`,
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
  const config = await repoConfig(repo);
  const model = await modelSettings(options, io.env, config.model.profile);
  await checkModelEndpoint(model);
  const image = options.image ?? DEFAULT_IMAGE;
  await checkDocker(image);
  const recording = options.record ? await openRecording(options.record) : undefined;
  if (recording) progress.line(`recording this run in the run history at ${recording.location}`);
  const started = new Date();
  const phases: Phase[] = [];
  try {
    const outcome = await work({ options, io, progress, repo, task, config, model, image, phases });
    const { result } = outcome;
    await record(recording, repo, task.kind, started, io, {
      state: result.outcome === "finished" ? "succeeded" : io.signal?.aborted ? "cancelled" : "failed",
      reason: `${result.outcome}: ${result.reason}${outcome.branch ? ` (branch ${outcome.branch})` : ""}`,
      usage: usageRecord({ result, state: "succeeded", phases, profile: model.profile, price: model.price }),
    });
    return outcome;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const state = io.signal?.aborted ? "cancelled" : "failed";
    await record(recording, repo, task.kind, started, io, {
      state,
      reason,
      usage: usageRecord({ state, phases, profile: model.profile, price: model.price }),
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

interface Phase {
  name: string;
  ms: number;
}

/** Times one phase of the run into `phases` (what the usage record and the run page show). */
async function phase<T>(phases: Phase[], name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    phases.push({ name, ms: performance.now() - start });
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
  phases: Phase[];
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
  phases,
}: WorkContext): Promise<LocalRunOutcome> {
  if (await hasUncommittedChanges(repo)) {
    progress.line(`note: uncommitted changes in ${repo} are not included; the agent works on HEAD`);
  }
  // Like the action, start by removing what ended runs left: a killed run's sandbox, the pool of a
  // terminal session that has closed. The age rule only takes what no task could still be using.
  await removeLeftoverSandboxes({ olderThanMs: LEFTOVER_AGE_MS });
  const pool = new WarmPool({
    size: options.sandboxPool,
    keeper: ownerOf(sessionKeeperPid()),
    log: { warning: (message) => progress.line(`warning: ${message}`) },
  });
  const clone = await cloneToTemp(repo);
  const slug = slugify(task.title);
  const auditPath = options.audit ?? join(tmpdir(), `inhouse-${slug}-${Date.now()}.audit.jsonl`);
  let sandbox: DockerSandbox | undefined;
  try {
    progress.line(`starting a sandbox (${image})`);
    const ready = await phase(phases, "provisioning", async () => {
      const acquired = await pool.acquire({
        image,
        taskId: `local-${slug}`.slice(0, 64),
        memoryMb: config.sandbox.memoryMb,
        cpus: config.sandbox.cpus,
        pids: config.sandbox.pids,
      });
      sandbox = acquired;
      await acquired.seed(clone);
      return acquired;
    });
    const result = await phase(phases, "working", () =>
      runAgent({
        sandbox: ready,
        model,
        task,
        commands: {
          setup: config.commands.setup,
          test: options.testCommand ?? config.commands.test,
          lint: config.commands.lint,
        },
        limits: {
          turns: options.turns ?? config.limits.turns,
          tokens: options.tokens ?? config.limits.tokens,
          minutes: options.minutes ?? config.limits.minutes,
          callsPerTurn: config.limits.callsPerTurn,
        },
        secrets: [model.apiKey, ...Object.values(model.headers ?? {})].filter(Boolean),
        auditPath,
        onProgress: (event) => progress.event(event),
        signal: io.signal,
      }),
    );
    progress.end();
    const outcome: LocalRunOutcome = { result };
    await phase(phases, "publishing", async () => {
      const patch = task.kind === "review" ? "" : await ready.diff();
      if (!patch.trim()) return;
      outcome.branch = await freeBranchName(repo, slug);
      const message = `${task.title}\n\n${result.summary ?? result.reason}\n\nAgent-Outcome: ${result.outcome}`;
      outcome.diffStat = await commitAndPushBack(clone, patch, message, repo, outcome.branch);
    });
    report(io, outcome, auditPath);
    return outcome;
  } finally {
    await sandbox?.destroy().catch(() => {});
    await rm(dirname(clone), { recursive: true, force: true });
    await pool.settle();
  }
}
