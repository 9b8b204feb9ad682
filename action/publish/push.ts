import type { GitAuth } from "../workspace/auth-header.ts";
import { GitError, git } from "../workspace/git.ts";
import { pushPermissionAdvice } from "./push-permission.ts";
import { classifyPushRefusal, type PushRefusalKind } from "./push-refusal.ts";

export interface PushTarget {
  dir: string;
  auth: GitAuth;
  branch: string;
  /** The repository's default branch: never pushed to. */
  defaultBranch: string;
  /** Branches this task may push: names under the agent prefix, or the triggering PR's branch. */
  allowed: { prefix: string; prBranch?: string };
  /** Where to push when not `origin`: the URL of a fork whose pull request allows maintainer edits. */
  remote?: string;
}

export class PushRejectedError extends Error {
  override name = "PushRejectedError";
  constructor(
    message: string,
    /** Why GitHub refused it, when it did (a rule, a moved branch); undefined for the agent's own branch policy. */
    readonly kind?: PushRefusalKind,
  ) {
    super(message);
  }
}

/** Invariant 5 in one place: which branch a push may go to. */
export function assertPushAllowed(target: Pick<PushTarget, "branch" | "defaultBranch" | "allowed">): void {
  const { branch, defaultBranch, allowed } = target;
  if (branch === defaultBranch) {
    throw new PushRejectedError(`refusing to push to the default branch ${branch}`);
  }
  const underPrefix = branch.startsWith(allowed.prefix) && branch.length > allowed.prefix.length;
  if (!underPrefix && branch !== allowed.prBranch) {
    throw new PushRejectedError(
      `refusing to push to ${branch}: the agent pushes only to ${allowed.prefix}* or the triggering PR's branch`,
    );
  }
}

function isTransient(error: unknown): boolean {
  const text = error instanceof GitError ? error.stderr : String(error);
  return /error: (500|502|503|504)|returned error: 5\d\d|RPC failed|Connection reset|timed out|early EOF/i.test(
    text,
  );
}

/**
 * Pushes HEAD without force: if the branch moved since the clone, the push is rejected and the
 * task fails saying so, rather than overwriting someone's commits.
 */
export async function pushHead(
  target: PushTarget,
  retry: <T>(work: () => Promise<T>, isRetryable: (error: unknown) => boolean) => Promise<T>,
  options: {
    /** What to push (default HEAD): the parent commit, to create a branch the API then commits to. */
    source?: string;
    /** Why this change could not go through GitHub's commit API (for the advice when a signature rule refuses it). */
    notViaApi?: string;
  } = {},
): Promise<void> {
  assertPushAllowed(target);
  try {
    await retry(
      () =>
        git(
          [
            "-C",
            target.dir,
            "push",
            "--quiet",
            "--porcelain",
            target.remote ?? "origin",
            `${options.source ?? "HEAD"}:refs/heads/${target.branch}`,
          ],
          {
            config: target.auth.config,
            secrets: target.auth.secrets,
          },
        ),
      isTransient,
    );
  } catch (error) {
    // A 403 on the URL (no Contents: write) comes before any per-ref verdict.
    const advice = pushPermissionAdvice(error, target.branch);
    if (advice) throw new PushRejectedError(advice);
    // With --porcelain the per-ref verdict ("!\tHEAD:refs/heads/x\t[rejected] (fetch first)") is on stdout, GitHub's rule lines on stderr.
    const output = error instanceof GitError ? `${error.stdout}\n${error.stderr}` : "";
    const refusal = classifyPushRefusal(output, target.branch, options.notViaApi);
    if (refusal) throw new PushRejectedError(refusal.advice, refusal.kind);
    throw error;
  }
}

/** Removes a branch this task pushed, so a failed publish leaves nothing under a misleading name. */
export async function deleteRemoteBranch(target: Pick<PushTarget, "dir" | "auth" | "branch">): Promise<void> {
  await git(["-C", target.dir, "push", "--quiet", "origin", "--delete", `refs/heads/${target.branch}`], {
    config: target.auth.config,
    secrets: target.auth.secrets,
  });
}

/** True when the remote already has this branch (an earlier run of the same task). */
export async function remoteBranchExists(dir: string, auth: GitAuth, branch: string): Promise<boolean> {
  const out = await git(["-C", dir, "ls-remote", "--heads", "origin", `refs/heads/${branch}`], {
    config: auth.config,
    secrets: auth.secrets,
  });
  return out.stdout.trim() !== "";
}
