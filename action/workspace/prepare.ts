import type { GitAuth } from "./auth-header.ts";
import { cloneWorkspace, headSha } from "./clone.ts";
import { assertSeedable } from "./credential-check.ts";
import { updateMirror } from "./mirror.ts";
import type { WorkspacePlan } from "./plan.ts";

export interface PrepareOptions {
  cacheDir: string;
  /** Where the task's clone goes; under `$RUNNER_TEMP` (on ARC in Docker-in-Docker mode the daemon shares only that). */
  dir: string;
  owner: string;
  name: string;
  remoteUrl: string;
  auth: GitAuth;
  plan: WorkspacePlan;
}

export interface PreparedWorkspace {
  dir: string;
  baseSha: string;
}

/** Mirror fetch, warm clone, checks that the tree is safe to hand to the sandbox. */
export async function prepareWorkspace(options: PrepareOptions): Promise<PreparedWorkspace> {
  const mirror = await updateMirror({
    cacheDir: options.cacheDir,
    owner: options.owner,
    name: options.name,
    remoteUrl: options.remoteUrl,
    auth: options.auth,
  });
  const dir = options.dir;
  await cloneWorkspace({
    mirror,
    remoteUrl: options.remoteUrl,
    dir,
    auth: options.auth,
    branch: options.plan.cloneBranch,
    fetch: options.plan.fetch,
    startPoint: options.plan.startPoint,
    localBranch: options.plan.localBranch,
  });
  await assertSeedable(dir, options.auth.secrets);
  return { dir, baseSha: await headSha(dir) };
}
