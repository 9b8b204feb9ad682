import { findIssue, type RouteContext } from "./context.ts";
import { notFound } from "./errors.ts";
import { resolveRef, runGit, updateRef } from "./git-repos.ts";
import type { PullIssue, PullShas } from "./shapes/pull.ts";
import type { RepoRecord } from "./state.ts";

export function findPull(ctx: RouteContext, repo: RepoRecord, number: string): PullIssue {
  const issue = findIssue(ctx, repo, number);
  if (!issue.pull) throw notFound();
  return issue as PullIssue;
}

/** Head and base as the bare repositories have them now; pushes move them. A fork's head is read from the fork. */
export async function pullShas(pull: PullIssue): Promise<PullShas> {
  // A merged pull request keeps the commits it merged: GitHub still lists its commits and files
  // ("List commits on a pull request", "List pull requests files",
  // https://docs.github.com/en/rest/pulls/pulls), and its `head.sha` stays its last commit, even
  // after its branch is deleted; the base branch has moved on to the merge commit by then.
  if (pull.pull.merged && pull.pull.mergedBaseSha && pull.pull.mergedHeadSha)
    return { head: pull.pull.mergedHeadSha, base: pull.pull.mergedBaseSha };
  const headDir = (pull.pull.headRepo ?? pull.repo).gitDir;
  return {
    head: (await resolveRef(headDir, `refs/heads/${pull.pull.headRef}`)) ?? "",
    base: (await resolveRef(pull.repo.gitDir, `refs/heads/${pull.pull.baseRef}`)) ?? "",
  };
}

/**
 * Points `refs/pull/<n>/head` at each open pull request's head branch, as GitHub does after every
 * push; a fork's head commit is fetched into the base repository first (forks share objects on GitHub).
 */
export async function syncPullRefs(ctx: RouteContext, repo: RepoRecord): Promise<void> {
  for (const issue of ctx.state.issues) {
    if (!issue.pull || issue.state !== "open") continue;
    const headRepo = issue.pull.headRepo ?? issue.repo;
    if (issue.repo !== repo && headRepo !== repo) continue;
    const head = await resolveRef(headRepo.gitDir, `refs/heads/${issue.pull.headRef}`);
    if (!head) continue;
    if (headRepo !== issue.repo) await fetchForkHead(issue.repo, headRepo, issue.pull.headRef, head);
    await updateRef(issue.repo.gitDir, `refs/pull/${issue.number}/head`, head);
  }
}

/** Brings a fork's head commit into the base repository's objects (GitHub keeps forks in one object network). */
export async function fetchForkHead(
  base: RepoRecord,
  fork: RepoRecord,
  branch: string,
  sha: string,
): Promise<void> {
  if (await resolveRef(base.gitDir, sha)) return;
  await runGit(["-C", base.gitDir, "fetch", "--quiet", "--no-tags", fork.gitDir, `refs/heads/${branch}`]);
}
