import { closeLinkedIssues } from "./closing-keywords.ts";
import type { RouteContext } from "./context.ts";
import { resolveRef, runGit, updateRef } from "./git-repos.ts";
import { syncPullRefs } from "./pull-lookup.ts";
import type { PullIssue } from "./shapes/pull.ts";
import { now, type UserRecord } from "./state.ts";

/**
 * A person presses "Merge pull request" (the App never merges): a merge commit of the head into
 * the base, made without a work tree by `git merge-tree --write-tree` (git ≥ 2.38); the PR becomes
 * closed and merged, and `pull_request.closed` follows with `merged: true`.
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request ("closed": "If merged
 * is true, the pull request was merged").
 */
export async function mergePull(ctx: RouteContext, pull: PullIssue, by: UserRecord): Promise<string> {
  if (pull.state !== "open")
    throw new Error(`#${pull.number} is ${pull.state}; only an open pull request merges`);
  if (pull.pull.headRepo && pull.pull.headRepo !== pull.repo) {
    throw new Error("merging a fork's pull request is not modelled here");
  }
  const { gitDir } = pull.repo;
  const base = await resolveRef(gitDir, `refs/heads/${pull.pull.baseRef}`);
  const head = await resolveRef(gitDir, `refs/heads/${pull.pull.headRef}`);
  if (!base || !head) throw new Error(`#${pull.number} has lost its base or head branch`);
  const tree = (await runGit(["-C", gitDir, "merge-tree", "--write-tree", base, head]))
    .toString("utf8")
    .trim();
  if (!/^[0-9a-f]{40}$/.test(tree)) throw new Error(`#${pull.number} does not merge cleanly:\n${tree}`);
  const message = `Merge pull request #${pull.number} from ${pull.repo.owner.login}/${pull.pull.headRef}\n\n${pull.title}`;
  const identity = [
    "-c",
    `user.name=${by.login}`,
    "-c",
    `user.email=${by.id}+${by.login}@users.noreply.github.com`,
  ];
  const sha = (
    await runGit([...identity, "-C", gitDir, "commit-tree", tree, "-p", base, "-p", head, "-m", message])
  )
    .toString("utf8")
    .trim();
  await updateRef(gitDir, `refs/heads/${pull.pull.baseRef}`, sha);
  const at = now();
  pull.state = "closed";
  pull.closedAt = at;
  pull.updatedAt = at;
  pull.pull.merged = true;
  pull.pull.mergedAt = at;
  pull.pull.mergeCommitSha = sha;
  pull.pull.mergedBaseSha = base;
  pull.pull.mergedHeadSha = head;
  pull.pull.mergedBy = by;
  closeLinkedIssues(ctx.state, pull, at);
  await syncPullRefs(ctx, pull.repo);
  return sha;
}
