import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import type { GitAuth } from "../workspace/auth-header.ts";
import type { WorkspacePlan } from "../workspace/plan.ts";
import { type PreparedWorkspace, prepareWorkspace } from "../workspace/prepare.ts";
import type { TaskRun } from "./task-run.ts";

export interface WorkspaceSource {
  /** Where the task's work root is made: the runner's temp dir (shared with the Docker daemon on ARC), or the OS's. */
  tempDir: string;
  /** Holds the mirror the clone is made from. */
  cacheDir: string;
  owner: string;
  name: string;
  /** Credential-free URL (or path) of the repository the task works on. */
  remoteUrl: string;
  auth: GitAuth;
  plan: WorkspacePlan;
  triggeredAt?: Date;
}

/** The task's clone, made by the action's workspace code (mirror, local clone, seedable checks). */
export async function prepareTaskWorkspace(
  run: TaskRun,
  source: WorkspaceSource,
): Promise<PreparedWorkspace> {
  run.enter("preparing the workspace");
  run.workRoot = await mkdtemp(join(source.tempDir, "inhouse-work-"));
  return prepareWorkspace({
    cacheDir: source.cacheDir,
    dir: join(run.workRoot, source.name),
    owner: source.owner,
    name: source.name,
    remoteUrl: source.remoteUrl,
    auth: source.auth,
    plan: source.plan,
    ...(source.triggeredAt ? { triggeredAt: source.triggeredAt } : {}),
  });
}
