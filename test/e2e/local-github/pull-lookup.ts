import { findIssue, type RouteContext } from "./context.ts";
import { notFound } from "./errors.ts";
import { resolveRef, updateRef } from "./git-repos.ts";
import type { PullIssue, PullShas } from "./shapes/pull.ts";
import type { RepoRecord } from "./state.ts";

export function findPull(ctx: RouteContext, repo: RepoRecord, number: string): PullIssue {
  const issue = findIssue(ctx, repo, number);
  if (!issue.pull) throw notFound();
  return issue as PullIssue;
}

/** Head and base as the bare repository has them now; pushes move them. */
export async function pullShas(pull: PullIssue): Promise<PullShas> {
  return {
    head: (await resolveRef(pull.repo.gitDir, `refs/heads/${pull.pull.headRef}`)) ?? "",
    base: (await resolveRef(pull.repo.gitDir, `refs/heads/${pull.pull.baseRef}`)) ?? "",
  };
}

/** Points `refs/pull/<n>/head` at each open pull request's head branch, as GitHub does after every push. */
export async function syncPullRefs(ctx: RouteContext, repo: RepoRecord): Promise<void> {
  for (const issue of ctx.state.issues) {
    if (issue.repo !== repo || !issue.pull || issue.state !== "open") continue;
    const head = await resolveRef(repo.gitDir, `refs/heads/${issue.pull.headRef}`);
    if (head) await updateRef(repo.gitDir, `refs/pull/${issue.number}/head`, head);
  }
}
