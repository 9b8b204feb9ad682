import { gitAuth } from "../../workspace/auth-header.ts";
import type { WorkspacePlan } from "../../workspace/plan.ts";
import type { EffectiveLimits } from "../effective-limits.ts";
import type { WorkspaceSource } from "../prepare-workspace.ts";
import type { SandboxRequest } from "../start-sandbox.ts";
import type { GitHubRun } from "./github-run.ts";

/** The task's repository on GitHub, fetched with the run's token into the runner's cache. */
export async function githubWorkspace(run: GitHubRun, plan: WorkspacePlan): Promise<WorkspaceSource> {
  const { settings, task } = run;
  return {
    tempDir: settings.env.runnerTemp,
    cacheDir: settings.cacheDir,
    owner: task.repo.owner,
    name: task.repo.name,
    remoteUrl: run.deps.remoteUrl(task.repo.owner, task.repo.name),
    auth: gitAuth(await run.token(), settings.env.serverUrl),
    plan,
    triggeredAt: new Date(task.trigger.at),
  };
}

/** The task's sandbox as the runner allows it, labelled with the repository and run (`leftover-cleaner.ts`). */
export function githubSandbox(run: GitHubRun, limits: EffectiveLimits): SandboxRequest {
  const { task, settings } = run;
  const runId = settings.env.runId;
  return {
    create: run.deps.createSandbox,
    limits,
    taskId: `${task.kind}-${task.number ?? task.automation}-${runId}`,
    labels: { "inhouse.repo": `${task.repo.owner}/${task.repo.name}`, "inhouse.run": String(runId) },
    ...(settings.caBundlePath ? { caBundlePath: settings.caBundlePath } : {}),
    created: (sandbox) => {
      run.state.containerId = sandbox.containerId;
      run.save();
    },
  };
}
