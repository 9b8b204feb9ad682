/**
 * Git on the user's machine: a throwaway clone to work in, and the result pushed back as a new
 * branch. The user's working tree, index and current branch are never touched.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const AGENT_IDENTITY = {
  GIT_AUTHOR_NAME: "inhouse agent",
  GIT_AUTHOR_EMAIL: "agent@inhouse.invalid",
  GIT_COMMITTER_NAME: "inhouse agent",
  GIT_COMMITTER_EMAIL: "agent@inhouse.invalid",
};

export async function git(
  cwd: string,
  args: string[],
  input?: string,
  env: Record<string, string> = {},
): Promise<string> {
  const child = run("git", args, {
    cwd,
    env: { ...process.env, ...AGENT_IDENTITY, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  const { stdout } = await child;
  return stdout;
}

/** The repository's top level, or an error saying the path is not a git repository. */
export async function repositoryRoot(path: string): Promise<string> {
  try {
    return (await git(resolve(path), ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new Error(`${resolve(path)} is not a git repository; pass --repo <path to a clone>`);
  }
}

export async function hasUncommittedChanges(repo: string): Promise<boolean> {
  return (await git(repo, ["status", "--porcelain"])).trim() !== "";
}

/** A plain clone of the repository's HEAD into a temp dir. */
export async function cloneToTemp(repo: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "inhouse-run-"));
  const clone = join(dir, "repo");
  await git(dir, ["clone", "--quiet", repo, clone]);
  return clone;
}

/** `agent/local-<slug>`, with -2, -3 … when that branch already exists in the repository. */
export async function freeBranchName(repo: string, slug: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `agent/local-${slug}` : `agent/local-${slug}-${n}`;
    try {
      await git(repo, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`]);
    } catch {
      return name;
    }
  }
}

/** Applies the sandbox's patch in the clone, commits it, and pushes it to the source repository as `branch`. */
export async function commitAndPushBack(
  clone: string,
  patch: string,
  message: string,
  repo: string,
  branch: string,
) {
  await git(clone, ["apply", "--index", "--binary", "--whitespace=nowarn", "-"], patch);
  await git(clone, ["commit", "--quiet", "--no-verify", "-m", message]);
  const stat = await git(clone, ["diff", "--stat", "HEAD~1", "HEAD"]);
  await git(clone, ["push", "--quiet", repo, `HEAD:refs/heads/${branch}`]);
  return stat;
}
