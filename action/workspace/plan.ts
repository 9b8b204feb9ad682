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
  /** Why the result is shaped differently from what was asked. */
  note?: string;
  /**
   * The repository `pushBranch` lives in when it is not the task's own: the fork of a pull request
   * that allows edits from maintainers. Pushed with git, never through the base repository.
   */
  pushRepo?: { owner: string; name: string };
  /**
   * Nothing may be pushed anywhere (a fork that does not allow maintainer edits): the change is
   * posted on the pull request as review suggestions, or as a patch, and this says why.
   */
  suggestOnly?: string;
  /** Where a push to an existing branch is announced, when that is not the task's own thread (an automation's PR). */
  replyTo?: number;
  /** Remote refs whose commit the task already knows (a PR's head, from the API): remote ref → object name. */
  knownCommits: Record<string, string>;
}

const remote = (branch: string) => `refs/remotes/origin/${branch}`;
const pullRef = (n: number) => `refs/remotes/origin/pull/${n}`;
const fetchPull = (n: number): ExtraRef => ({ remote: `refs/pull/${n}/head`, local: pullRef(n) });
const fetchBranch = (b: string): ExtraRef => ({ remote: `refs/heads/${b}`, local: remote(b) });

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

/**
 * A fork's commits never become a branch of the base repository (issue #12, item 3): its CI would
 * run them with the base repository's secrets, past GitHub's approval gate for fork pull requests.
 * So `/agent fix` on a fork PR works on `refs/pull/<n>/head` and either pushes to the fork's own
 * branch, when its author allowed edits from maintainers, or pushes nothing and suggests the change.
 */
function forkPull(pr: PullRequestInfo): WorkspacePlan {
  const onPull = {
    cloneBranch: pr.baseRef,
    extraRefs: [fetchPull(pr.number)],
    startPoint: pullRef(pr.number),
    localBranch: `inhouse-fork-pull-${pr.number}`,
    pushIsNew: false,
    knownCommits: { [`refs/pull/${pr.number}/head`]: pr.headSha },
  };
  const [owner, name] = pr.headRepo?.split("/") ?? [];
  if (!owner || !name) {
    return {
      ...onPull,
      suggestOnly: `the fork #${pr.number} comes from was deleted, so there is no branch to push to`,
    };
  }
  if (!pr.maintainerCanModify) {
    return {
      ...onPull,
      suggestOnly: `#${pr.number} comes from the fork ${pr.headRepo}, which does not allow edits from maintainers, and the agent never copies a fork's commits into a branch of this repository`,
    };
  }
  return { ...onPull, pushBranch: pr.headRef, pushRepo: { owner, name } };
}

/** Which branch to clone, where the agent starts and where its work goes, by task kind. */
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
      // A merge follow-up (the App's, on the merged PR): a branch and PR of its own per merged PR.
      if (task.number !== undefined) {
        const branch = agentBranchName(prefix, task.kind, `${task.automation}-${task.number}`, title);
        // GitHub keeps `refs/pull/<n>/head` after a merge: the merged commits, even when squashed away.
        return { ...newBranchFromDefault(branch, defaultBranch), extraRefs: [fetchPull(task.number)] };
      }
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
      return pr!.isFork ? forkPull(pr!) : sameRepoBranch(pr!);
    }
  }
}
