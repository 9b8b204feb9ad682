import { git } from "./git.ts";
import { mirrorRefFor } from "./mirror.ts";

/** A ref the task needs besides its branch: `refs/pull/7/head` as `refs/remotes/origin/pull/7`. */
export interface ExtraRef {
  remote: string;
  local: string;
}

export interface CloneOptions {
  /** Bare mirror in the runner cache, just fetched; its packs are hardlinked (or copied) into the clone. */
  mirror: string;
  /** Recorded as `origin` for the push; nothing is fetched from it here. */
  remoteUrl: string;
  dir: string;
  /** Branch to clone (the default branch, or a same-repo PR's head branch). */
  branch: string;
  /** Further refs, already in the mirror (see `withMirror`'s `extraRefs`). */
  extraRefs?: ExtraRef[];
  /** Commit-ish the working branch starts from; defaults to `origin/<branch>`. */
  startPoint?: string;
  /** Local branch to create and check out. */
  localBranch: string;
}

/**
 * A task's working tree, made from the warm mirror on the local disk. A local clone hardlinks the
 * mirror's pack files (copies them across filesystems): no network, no repack, and unlike
 * `--reference` no alternates file pointing at the runner's cache, so the tree is self-contained
 * and can be seeded into the sandbox as it is.
 */
export async function cloneWorkspace(options: CloneOptions): Promise<void> {
  await fetchWorkspace(options);
  await checkoutWorkspace(options);
}

/** The objects and refs of a task's clone, without a working tree. */
export async function fetchWorkspace(options: CloneOptions): Promise<void> {
  await git([
    "clone",
    "--quiet",
    "--no-checkout",
    "--single-branch",
    "--no-tags",
    "--branch",
    options.branch,
    "--",
    options.mirror,
    options.dir,
  ]);
  await git(["-C", options.dir, "remote", "set-url", "origin", options.remoteUrl]);
  const extras = options.extraRefs ?? [];
  if (extras.length > 0) {
    const refspecs = extras.map((ref) => `+${mirrorRefFor(ref.remote)}:${ref.local}`);
    await git([
      "-C",
      options.dir,
      "fetch",
      "--quiet",
      "--no-tags",
      "--no-write-fetch-head",
      options.mirror,
      ...refspecs,
    ]);
  }
}

/** The working tree on the local branch; parallel checkout, since a large tree is most of a warm clone's time. */
export async function checkoutWorkspace(
  options: Pick<CloneOptions, "dir" | "branch" | "startPoint" | "localBranch">,
): Promise<void> {
  const start = options.startPoint ?? `refs/remotes/origin/${options.branch}`;
  await git(["-C", options.dir, "checkout", "--quiet", "-B", options.localBranch, start, "--"], {
    config: ["checkout.workers=0"],
  });
}

export async function headSha(dir: string): Promise<string> {
  return (await git(["-C", dir, "rev-parse", "HEAD"])).stdout.trim();
}
