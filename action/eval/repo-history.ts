/**
 * Git on the local clone the eval harvests from: the base a pull request was merged onto, what it
 * changed, and a copy of the repository as it was at a commit, with no later object in it.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git } from "../workspace/git.ts";

export async function commitExists(repo: string, oid: string): Promise<string | undefined> {
  try {
    return (await git(["-C", repo, "rev-parse", "--verify", "--quiet", `${oid}^{commit}`])).stdout.trim();
  } catch {
    return undefined;
  }
}

export async function parentsOf(repo: string, commit: string): Promise<string[]> {
  const line = (await git(["-C", repo, "rev-list", "--parents", "-n", "1", commit])).stdout.trim();
  return line.split(" ").slice(1);
}

/** Paths changed between two commits (renames as delete + add, so both sides are named). */
export async function changedPaths(repo: string, from: string, to: string): Promise<string[]> {
  const out = (await git(["-C", repo, "diff", "--name-only", "--no-renames", "-z", from, to])).stdout;
  return out.split("\0").filter(Boolean);
}

/**
 * The base branch at merge time. A merge commit or a squash has it as first parent; a rebase merge
 * put the PR's commits one after another, so the walk goes back (at most one step per PR commit)
 * until the changes since the base cover every file the PR changed.
 */
export async function baseAtMerge(
  repo: string,
  mergeCommit: string,
  prFiles: string[],
  prCommits: number,
): Promise<string> {
  const first = (await parentsOf(repo, mergeCommit))[0];
  if (!first) throw new Error(`${mergeCommit} has no parent: a pull request cannot have been merged there`);
  let base: string = first;
  const wanted = new Set(prFiles);
  for (let step = 1; step < prCommits && wanted.size > 0; step++) {
    const changed = new Set(await changedPaths(repo, base, mergeCommit));
    if ([...wanted].every((path) => changed.has(path))) break;
    const parent: string | undefined = (await parentsOf(repo, base))[0];
    if (!parent) break;
    base = parent;
  }
  return base;
}

/** A file's content at a commit, or null when it does not exist there. */
export async function fileAt(repo: string, commit: string, path: string): Promise<string | null> {
  try {
    return (await git(["-C", repo, "show", `${commit}:${path}`])).stdout;
  } catch {
    return null;
  }
}

export async function diffOf(repo: string, from: string, to: string, paths: string[]): Promise<string> {
  if (paths.length === 0) return "";
  return (await git(["-C", repo, "diff", "--binary", "--no-renames", from, to, "--", ...paths])).stdout;
}

/**
 * A new repository holding `commit` and its ancestors only: the day's view. A plain clone would
 * carry every later commit (the reference fix and its tests among them) in its objects and refs.
 */
export async function cloneAtCommit(repo: string, commit: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-eval-"));
  const clone = join(dir, "repo");
  await git(["-C", dir, "init", "--quiet", "--initial-branch=main", clone]);
  await git(["-C", clone, "fetch", "--quiet", "--no-tags", repo, commit]);
  await git(["-C", clone, "checkout", "--quiet", "--detach", "FETCH_HEAD"]);
  await git(["-C", clone, "checkout", "--quiet", "-B", "main"]);
  return clone;
}
