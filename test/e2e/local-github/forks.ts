import { join } from "node:path";
import type { RouteContext } from "./context.ts";
import { validationFailed } from "./errors.ts";
import { runGit } from "./git-repos.ts";
import type { PushRule } from "./push-gate.ts";
import type { PullIssue } from "./shapes/pull.ts";
import { now, type RepoRecord, type UserRecord } from "./state.ts";

/**
 * Forks and pull requests whose head lives in a fork. The rules, each from GitHub's docs:
 *
 * - A pull request's head may be a branch of a fork of the base repository, named `owner:branch`
 *   (REST "Create a pull request", `head`: "namespace the head with a user like this:
 *   username:branch", https://docs.github.com/rest/pulls/pulls#create-a-pull-request).
 * - Only a user-owned fork can let the upstream's maintainers push: the author ticks "Allow edits
 *   from maintainers" (`maintainer_can_modify`); organization-owned forks cannot
 *   ("Allowing changes to a pull request branch created from a fork": "Only pull request authors
 *   can give upstream repository maintainers, or those with push access to the upstream
 *   repository, permission to make commits to their pull request's compare branch in a user-owned
 *   fork", https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/working-with-forks/allowing-changes-to-a-pull-request-branch-created-from-a-fork).
 * - With that permission, what may be pushed is the pull request's compare branch, nothing else
 *   of the fork (same page). An installation token of the upstream repository counts as having push
 *   access there: GitHub Actions' installation token pushes to the compare branch once the box is
 *   ticked, and without it the push is refused per ref as `(permission denied)`, as reported in
 *   stefanzweifel/git-auto-commit-action#281 (`! [remote rejected] HEAD -> typo-fix (permission
 *   denied)`, then success after "Allow edits by maintainers" was checked); pre-commit.ci (a GitHub
 *   App) autofixes fork pull requests the same way and cannot on organization forks
 *   (pre-commit-ci/issues#127, isaacs/github#1681).
 * - `refs/pull/<n>/head` of the base repository holds the fork's head commit, so the base
 *   repository can fetch it ("Checking out pull requests locally",
 *   https://docs.github.com/en/pull-requests/collaborating-with-pull-requests/reviewing-changes-in-pull-requests/checking-out-pull-requests-locally).
 */
export const FORK_PERMISSION_DENIED = "permission denied";

/** The repository the pull request's head branch lives in. */
export function headRepoOf(pull: PullIssue): RepoRecord {
  return pull.pull.headRepo ?? pull.repo;
}

/** Repositories of the account the App is installed on (the installation covers all of them). */
export function isInstallationRepo(ctx: RouteContext, repo: RepoRecord): boolean {
  return repo.owner === ctx.installation.account;
}

/** Open pull requests into the installation's repositories whose head is a branch of `fork`. */
export function pullsFromFork(ctx: RouteContext, fork: RepoRecord): PullIssue[] {
  return ctx.state.issues.filter(
    (issue): issue is PullIssue =>
      issue.pull?.headRepo === fork && issue.state === "open" && isInstallationRepo(ctx, issue.repo),
  );
}

/** The installation may reach a repository outside its account over git only as the head of such a pull request. */
export function installationMayReach(ctx: RouteContext, repo: RepoRecord): boolean {
  return isInstallationRepo(ctx, repo) || pullsFromFork(ctx, repo).length > 0;
}

/** Branches of `fork` an installation token may push: compare branches of pulls that allow maintainer edits. */
export function pushableForkBranches(ctx: RouteContext, fork: RepoRecord): Set<string> {
  const branches = pullsFromFork(ctx, fork)
    .filter((pull) => pull.pull.maintainerCanModify === true && fork.owner.type === "User")
    .map((pull) => `refs/heads/${pull.pull.headRef}`);
  return new Set(branches);
}

/** The push rule: an installation token writes to a repository outside its account only through maintainer edits. */
export function forkPushRule(ctx: RouteContext): PushRule {
  return ({ repo, caller }, update) => {
    if (caller.kind !== "installation" || isInstallationRepo(ctx, repo)) return undefined;
    return pushableForkBranches(ctx, repo).has(update.ref) ? undefined : { reason: FORK_PERMISSION_DENIED };
  };
}

/**
 * Resolves a pull request's `head` (`branch` or `owner:branch`) to the repository holding it: the
 * base repository itself, or the fork of it that `owner` has.
 */
export function resolveHead(
  ctx: RouteContext,
  base: RepoRecord,
  head: string,
): { repo: RepoRecord; ref: string } {
  const colon = head.indexOf(":");
  if (colon === -1) return { repo: base, ref: head };
  const owner = head.slice(0, colon);
  const ref = head.slice(colon + 1);
  if (owner.toLowerCase() === base.owner.login.toLowerCase()) return { repo: base, ref };
  const fork = [...ctx.state.repos.values()].find(
    (repo) => repo.forkOf === base && repo.owner.login.toLowerCase() === owner.toLowerCase(),
  );
  if (!fork) throw validationFailed(`head ${head}: ${owner} has no fork of ${base.owner.login}/${base.name}`);
  return { repo: fork, ref };
}

/** A fork of `base` owned by `owner`: a bare copy of every branch, on disk beside the others. */
export async function createFork(
  root: string,
  base: RepoRecord,
  owner: UserRecord,
  id: number,
): Promise<RepoRecord> {
  const gitDir = join(root, owner.login, `${base.name}.git`);
  await runGit(["clone", "--bare", "--quiet", base.gitDir, gitDir]);
  await runGit(["-C", gitDir, "config", "http.receivepack", "true"]);
  await runGit(["-C", gitDir, "config", "receive.hideRefs", "refs/pull"]);
  return {
    id,
    owner,
    name: base.name,
    defaultBranch: base.defaultBranch,
    gitDir,
    collaborators: new Map([[owner.login, "admin"]]),
    labels: new Map(),
    nextNumber: 1,
    createdAt: now(),
    forkOf: base,
  };
}

/** GitHub refuses "Allow edits from maintainers" on a fork owned by an organization (see above). */
export function checkMaintainerEdits(fork: RepoRecord, maintainerCanModify: boolean): void {
  if (maintainerCanModify && fork.forkOf !== undefined && fork.owner.type !== "User") {
    throw validationFailed(
      `maintainer_can_modify: ${fork.owner.login}/${fork.name} is owned by an organization, which cannot allow edits from maintainers`,
    );
  }
}
