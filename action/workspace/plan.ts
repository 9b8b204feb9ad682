import type { RepoConfig } from "../../core/config.ts";
import type { Task } from "../../core/task.ts";
import type { PullRequestInfo } from "../github/pull-request-info.ts";
import { agentBranchName } from "./branch-name.ts";
import type { ExtraRef } from "./clone.ts";

export interface WorkspacePlan {
  /** Branch cloned from the remote. */
  cloneBranch: string;
  /** Refs besides the cloned branch: fetched into the mirror, then into the clone. */
  extraRefs: ExtraRef[];
  startPoint: string;
  /** Local branch the work happens on. */
  localBranch: string;
  /** Where the result is pushed; undefined for reviews (nothing is pushed). */
  pushBranch?: string;
  /** True when `pushBranch` is a new agent branch (so it may be renamed if taken, and deleted on failure). */
  pushIsNew: boolean;
  /** Base of the PR the agent opens, when it opens one. */
  prBase?: string;
  /** Why the result is shaped differently from what was asked (fork PRs). */
  note?: string;
  /** Where a push to an existing branch is announced, when that is not the task's own thread (an automation's PR). */
  replyTo?: number;
  /** Remote refs whose commit the task already knows (a PR's head, from the API): remote ref → object name. */
  knownCommits: Record<string, string>;
}

const remote = (branch: string) => `refs/remotes/origin/${branch}`;
const pullRef = (n: number) => `refs/remotes/origin/pull/${n}`;
const fetchPull = (n: number): ExtraRef => ({ remote: `refs/pull/${n}/head`, local: pullRef(n) });
const fetchBranch = (b: string): ExtraRef => ({ remote: `refs/heads/${b}`, local: remote(b) });

/**
 * Which branch to clone, where the agent starts and where its work goes, by task kind. Forks are
 * the awkward case: the agent cannot push to someone else's repository, so a fix for a fork PR goes
 * to an agent branch in the base repository, as a new PR the fork's author can pull from.
 */
/** A new agent branch cut from the default branch, pushed as new, with a PR back into it. */
function newBranchFromDefault(branch: string, defaultBranch: string): WorkspacePlan {
  return {
    cloneBranch: defaultBranch,
    extraRefs: [],
    startPoint: remote(defaultBranch),
    localBranch: branch,
    pushBranch: branch,
    pushIsNew: true,
    prBase: defaultBranch,
    knownCommits: {},
  };
}

/** Work on top of a same-repository PR's branch and push to it (fast-forward only, never forced). */
function sameRepoBranch(pr: PullRequestInfo): WorkspacePlan {
  return {
    cloneBranch: pr.headRef,
    extraRefs: pr.baseRef === pr.headRef ? [] : [fetchBranch(pr.baseRef)],
    startPoint: remote(pr.headRef),
    localBranch: pr.headRef,
    pushBranch: pr.headRef,
    pushIsNew: false,
    knownCommits: { [`refs/heads/${pr.headRef}`]: pr.headSha },
  };
}

export function planWorkspace(
  task: Task,
  config: Pick<RepoConfig, "pr">,
  defaultBranch: string,
  title: string,
  pr?: PullRequestInfo,
  today: Date = new Date(),
): WorkspacePlan {
  const prefix = config.pr.branchPrefix;
  switch (task.kind) {
    case "fix-issue":
      return newBranchFromDefault(agentBranchName(prefix, task.kind, task.number!, title), defaultBranch);
    case "automation": {
      // The automation's open PR (readRequest found it): a new commit on its branch, never a second PR.
      if (pr) return { ...sameRepoBranch(pr), replyTo: pr.number };
      const stamp = today.toISOString().slice(0, 10).replace(/-/g, "");
      const branch = agentBranchName(prefix, task.kind, `${task.automation}-${stamp}`, title);
      return newBranchFromDefault(branch, defaultBranch);
    }
    case "review":
      return {
        cloneBranch: pr!.baseRef,
        extraRefs: [fetchPull(pr!.number)],
        startPoint: pullRef(pr!.number),
        localBranch: `inhouse-review-${pr!.number}`,
        pushIsNew: false,
        knownCommits: { [`refs/pull/${pr!.number}/head`]: pr!.headSha },
      };
    case "fix-pr": {
      if (!pr!.isFork) return sameRepoBranch(pr!);
      const branch = agentBranchName(prefix, task.kind, task.number!, title);
      return {
        cloneBranch: pr!.baseRef,
        extraRefs: [fetchPull(pr!.number)],
        startPoint: pullRef(pr!.number),
        localBranch: branch,
        pushBranch: branch,
        pushIsNew: true,
        prBase: pr!.baseRef,
        knownCommits: { [`refs/pull/${pr!.number}/head`]: pr!.headSha },
        note: `#${pr!.number} comes from the fork ${pr!.headRepo ?? "(deleted)"}, which the agent cannot push to. This PR holds #${pr!.number}'s commits plus the fix; its author can take the fix with \`git pull <this repository> ${branch}\`, or this PR can replace #${pr!.number}.`,
      };
    }
  }
}
