/**
 * `inhouse run`: the agent on a local repository, without GitHub. Checks the model endpoint and
 * Docker first, clones the repository to a temp dir, runs the loop in a sandbox, and pushes the
 * result back as a new branch.
 */
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../core/config.ts";
import { formatErrors } from "../../core/result.ts";
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
): Promise<ModelSettings> {
  const profiles = options.profilesFile ? await loadModelProfiles(options.profilesFile) : undefined;
  return resolveModelProfile(options.profile ?? (profiles ? (profileFromRepo ?? "default") : "default"), {
    profiles,
    env,
    overrides: {
      baseUrl: options.baseUrl,
      model: options.model,
      apiKey: options.apiKey,
      toolCalling: options.toolCalling,
    },
  });
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
    sandbox = await pool.acquire({
      image,
      taskId: `local-${slug}`.slice(0, 64),
      memoryMb: config.sandbox.memoryMb,
      cpus: config.sandbox.cpus,
      pids: config.sandbox.pids,
    });
    await sandbox.seed(clone);
    const result = await runAgent({
      sandbox,
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
    });
    progress.end();
    const patch = task.kind === "review" ? "" : await sandbox.diff();
    const outcome: LocalRunOutcome = { result };
    if (patch.trim()) {
      outcome.branch = await freeBranchName(repo, slug);
      const message = `${task.title}\n\n${result.summary ?? result.reason}\n\nAgent-Outcome: ${result.outcome}`;
      outcome.diffStat = await commitAndPushBack(clone, patch, message, repo, outcome.branch);
    }
    report(io, outcome, auditPath);
    return outcome;
  } finally {
    await sandbox?.destroy().catch(() => {});
    await rm(dirname(clone), { recursive: true, force: true });
    await pool.settle();
  }
}
