import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { RepoConfig } from "../../../core/config.ts";
import type { AgentProgress, AgentResult, AgentRunOptions, AgentTaskText } from "../../agent/types.ts";
import type { ModelSettings } from "../../model/types.ts";
import type { PatchLimits } from "../../publish/patch-policy.ts";
import type { Sandbox, SandboxOptions } from "../../sandbox/types.ts";
import { noAuth } from "../../workspace/auth-header.ts";
import type { EffectiveLimits } from "../effective-limits.ts";
import { prepareTaskWorkspace } from "../prepare-workspace.ts";
import { releaseRun } from "../release-run.ts";
import { runTaskAgent } from "../run-agent-phase.ts";
import { startTaskSandbox } from "../start-sandbox.ts";
import type { TaskRun } from "../task-run.ts";
import { checkPublishable } from "../verify.ts";
import { hasUncommittedChanges, localPlan } from "./local-repository.ts";
import { type LocalBranch, publishLocalBranch } from "./publish-branch.ts";

/** One task on a local repository: what the CLI decided (`cli/run-local.ts`), no GitHub anywhere. */
export interface LocalTask {
  /** The user's repository (its top level). */
  repo: string;
  text: AgentTaskText;
  /** Branch-safe slug of the title: the branch is `agent/local-<slug>`. */
  slug: string;
  config: RepoConfig;
  model: ModelSettings;
  /** The same shape the action's runner limits take (`effectiveLimits`). */
  limits: EffectiveLimits;
  patchLimits: PatchLimits;
  testCommand?: string;
  auditPath: string;
  createSandbox(options: SandboxOptions): Promise<Sandbox>;
  runAgent(options: AgentRunOptions): Promise<AgentResult>;
  onProgress(event: AgentProgress): void;
  note(text: string): void;
}

export interface LocalTaskOutcome extends LocalBranch {
  result: AgentResult;
}

/**
 * The local adapter: the action's phases (workspace, sandbox, agent loop, publishable check) on
 * the user's repository, and a new branch in it as the publish step. `run.result` is set once the
 * loop ended, also when a later phase throws (a refused change, say).
 */
export async function runLocalTask(run: TaskRun, task: LocalTask): Promise<LocalTaskOutcome> {
  const { repo, config, limits } = task;
  if (await hasUncommittedChanges(repo)) {
    task.note(`note: uncommitted changes in ${repo} are not included; the agent works on HEAD`);
  }
  // The mirror and the clone live in one scratch directory: nothing of the run stays on the machine.
  const scratch = await mkdtemp(join(tmpdir(), "inhouse-run-"));
  try {
    const plan = await localPlan(repo, `agent/local-${task.slug}`);
    const workspace = await prepareTaskWorkspace(run, {
      tempDir: scratch,
      cacheDir: join(scratch, "cache"),
      owner: "local",
      name: basename(repo),
      remoteUrl: repo,
      auth: noAuth,
      plan,
    });
    const sandbox = await startTaskSandbox(
      run,
      { create: task.createSandbox, limits, taskId: `local-${task.slug}` },
      workspace.dir,
    );
    const result = await runTaskAgent(run, sandbox, limits.agent.turns, async () => ({
      runAgent: task.runAgent,
      model: task.model,
      task: task.text,
      commands: {
        setup: config.commands.setup,
        test: task.testCommand ?? config.commands.test,
        lint: config.commands.lint,
      },
      limits: limits.agent,
      secrets: [task.model.apiKey, ...Object.values(task.model.headers ?? {})].filter(Boolean),
      auditPath: task.auditPath,
      onProgress: task.onProgress,
      network: limits.network,
    }));
    checkPublishable(run, result);
    const published = await publishLocalBranch(run, {
      repo,
      dir: workspace.dir,
      sandbox,
      result,
      text: task.text,
      slug: task.slug,
      config,
      limits: task.patchLimits,
    });
    return { result, ...published };
  } finally {
    run.clock.stop();
    await releaseRun(run);
    await rm(scratch, { recursive: true, force: true });
  }
}
