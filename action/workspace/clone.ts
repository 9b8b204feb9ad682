import type { GitAuth } from "./auth-header.ts";
import { git } from "./git.ts";

export interface CloneOptions {
  /** Bare mirror in the runner cache; objects are borrowed from it, then copied (`--dissociate`). */
  mirror: string;
  remoteUrl: string;
  dir: string;
  auth: GitAuth;
  /** Branch to clone (the default branch, or a same-repo PR's head branch). */
  branch: string;
  /** Further refspecs to fetch, e.g. `+refs/pull/7/head:refs/remotes/origin/pull/7`. */
  fetch?: string[];
  /** Commit-ish the working branch starts from; defaults to `origin/<branch>`. */
  startPoint?: string;
  /** Local branch to create and check out. */
  localBranch: string;
}

/**
 * Clones a task's working tree. `--reference` makes the network move only what the mirror lacks;
 * `--dissociate` then copies the borrowed objects in, so the tree has no alternates file pointing
 * at the runner's cache and can be seeded into the sandbox as it is.
 */
export async function cloneWorkspace(options: CloneOptions): Promise<void> {
  const auth = { config: options.auth.config, secrets: options.auth.secrets };
  await git(
    [
      "clone",
      "--quiet",
      "--no-checkout",
      "--single-branch",
      "--no-tags",
      "--reference",
      options.mirror,
      "--dissociate",
      "--branch",
      options.branch,
      "--",
      options.remoteUrl,
      options.dir,
    ],
    auth,
  );
  if (options.fetch && options.fetch.length > 0) {
    await git(["-C", options.dir, "fetch", "--quiet", "--no-tags", "origin", ...options.fetch], auth);
  }
  const start = options.startPoint ?? `refs/remotes/origin/${options.branch}`;
  await git(["-C", options.dir, "checkout", "--quiet", "-B", options.localBranch, start, "--"]);
}

export async function headSha(dir: string): Promise<string> {
  return (await git(["-C", dir, "rev-parse", "HEAD"])).stdout.trim();
}
