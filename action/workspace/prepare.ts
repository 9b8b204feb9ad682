import type { GitAuth } from "./auth-header.ts";
import { checkoutWorkspace, fetchWorkspace, headSha } from "./clone.ts";
import { assertSeedable } from "./credential-check.ts";
import { mirrorRefFor, withMirror } from "./mirror.ts";
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
  /**
   * When the task was asked for. A mirror fetched after it (by a task that ran meanwhile) holding
   * the plan's known commits is used without fetching again.
   */
  triggeredAt?: Date;
}

/** Allowed difference between GitHub's clock (the trigger time) and the runner's (the fetch time). */
const CLOCK_SKEW_MS = 2_000;

export interface PreparedWorkspace {
  dir: string;
  baseSha: string;
}

/** One network fetch into the mirror, a local clone from it, then the checks that make it seedable. */
export async function prepareWorkspace(options: PrepareOptions): Promise<PreparedWorkspace> {
  const { plan, dir } = options;
  const mirrorOptions = {
    cacheDir: options.cacheDir,
    owner: options.owner,
    name: options.name,
    remoteUrl: options.remoteUrl,
    auth: options.auth,
    extraRefs: plan.extraRefs.map((ref) => ref.remote).filter((ref) => !ref.startsWith("refs/heads/")),
    freshness: options.triggeredAt && {
      since: new Date(options.triggeredAt.getTime() + CLOCK_SKEW_MS),
      refs: [`refs/heads/${plan.cloneBranch}`, ...plan.extraRefs.map((ref) => mirrorRefFor(ref.remote))],
      expect: Object.fromEntries(
        Object.entries(plan.knownCommits).map(([ref, commit]) => [mirrorRefFor(ref), commit]),
      ),
    },
  };
  await withMirror(mirrorOptions, (mirror) =>
    fetchWorkspace({
      mirror,
      remoteUrl: options.remoteUrl,
      dir,
      branch: plan.cloneBranch,
      extraRefs: plan.extraRefs,
      localBranch: plan.localBranch,
    }),
  );
  await checkoutWorkspace({
    dir,
    branch: plan.cloneBranch,
    startPoint: plan.startPoint,
    localBranch: plan.localBranch,
  });
  await assertSeedable(dir, options.auth.secrets);
  return { dir, baseSha: await headSha(dir) };
}
