/**
 * The user's repository, read without touching it: its top level, its committed config, the
 * branch and commit the agent starts from, and a free `agent/local-*` name for the result.
 */
import { resolve } from "node:path";
import { CONFIG_PATH, defaultConfig, loadConfig, type RepoConfig } from "../../../core/config.ts";
import { formatErrors } from "../../../core/result.ts";
import { git } from "../../workspace/git.ts";
import type { WorkspacePlan } from "../../workspace/plan.ts";

/** Where the clone keeps the commit the user's HEAD points at (`git fetch <repo> HEAD`). */
const START_REF = "refs/inhouse/start";

/** The repository's top level, or an error saying the path is not a git repository. */
export async function repositoryRoot(path: string): Promise<string> {
  try {
    return (await git(["-C", resolve(path), "rev-parse", "--show-toplevel"])).stdout.trim();
  } catch {
    throw new Error(`${resolve(path)} is not a git repository; pass --repo <path to a clone>`);
  }
}

export async function hasUncommittedChanges(repo: string): Promise<boolean> {
  return (await git(["-C", repo, "status", "--porcelain"])).stdout.trim() !== "";
}

/** The repository's config as committed at HEAD (what the agent's clone gets). */
export async function configAtHead(repo: string): Promise<RepoConfig> {
  let text: string;
  try {
    text = (await git(["-C", repo, "show", `HEAD:${CONFIG_PATH}`])).stdout;
  } catch {
    return defaultConfig();
  }
  const parsed = loadConfig(text);
  if (!parsed.ok) throw new Error(`${CONFIG_PATH} is invalid:\n${formatErrors(parsed.errors)}`);
  return parsed.value;
}

async function output(repo: string, args: string[]): Promise<string> {
  return (await git(["-C", repo, ...args]).catch(() => ({ stdout: "" }))).stdout.trim();
}

/**
 * The action's workspace plan for a local run: the clone starts at the user's HEAD (a branch, or a
 * detached commit) on `branch`, which is pushed back as a new branch. The mirror needs one branch
 * to clone: the current one, or any when HEAD is detached.
 */
export async function localPlan(repo: string, branch: string): Promise<WorkspacePlan> {
  if (!(await output(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]))) {
    throw new Error(`${repo} has no commit yet; commit the code the agent should work on first`);
  }
  const cloneBranch =
    (await output(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"])) ||
    (await output(repo, ["for-each-ref", "--count=1", "--format=%(refname:short)", "refs/heads"]));
  if (!cloneBranch) throw new Error(`${repo} has no branch; create one (git switch -c main) and run again`);
  return {
    cloneBranch,
    extraRefs: [{ remote: "HEAD", local: START_REF }],
    startPoint: START_REF,
    localBranch: branch,
    pushBranch: branch,
    pushIsNew: true,
    knownCommits: {},
  };
}

/** `agent/local-<slug>`, with -2, -3 … when that branch already exists in the repository. */
export async function freeLocalBranch(repo: string, slug: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `agent/local-${slug}` : `agent/local-${slug}-${n}`;
    if (!(await output(repo, ["rev-parse", "--verify", "--quiet", `refs/heads/${name}`]))) return name;
  }
}
