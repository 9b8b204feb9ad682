import type { GitHub } from "../github/client.ts";
import { git } from "../workspace/git.ts";
import { apiChanges } from "./api-changes.ts";
import { commitThroughApi } from "./api-commit.ts";
import { deleteRemoteBranch, type PushTarget, pushHead } from "./push.ts";

type Retry = <T>(work: () => Promise<T>, isRetryable: (error: unknown) => boolean) => Promise<T>;

export interface DeliverInput {
  gh: GitHub;
  repo: { owner: string; name: string };
  target: PushTarget;
  /** The commit made in the task's clone, on top of the branch's head as the task found it. */
  local: string;
  /** The branch does not exist yet (a new agent branch). */
  isNew: boolean;
  /** The remote is the GitHub `gh` talks to (not a local repository, as for the CLI). */
  useApi: boolean;
  retry: Retry;
}

export interface Delivered {
  /** The commit now at the tip of the branch on GitHub. */
  sha: string;
  /** How it got there: GitHub's commit API (signed, Verified) or `git push` (with why not the API). */
  via: { kind: "api" } | { kind: "git"; reason: string };
}

/**
 * Puts the local commit on GitHub. Where the change can be expressed through
 * `createCommitOnBranch` (`api-changes.ts`), GitHub makes the commit and signs it, so rulesets that
 * require signed commits accept the agent's work; a new branch is first created at the parent with
 * a push that carries no new commit. Otherwise the commit is pushed with git, and a refusal says why
 * the API could not carry it.
 */
export async function deliverCommit(input: DeliverInput): Promise<Delivered> {
  const { target, local } = input;
  const dir = target.dir;
  const parent = (await git(["-C", dir, "rev-parse", `${local}^`])).stdout.trim();
  const changes = input.useApi
    ? await apiChanges(dir, parent, local)
    : {
        ok: false as const,
        reason: "the repository is not cloned from the GitHub the action's API calls go to",
      };
  if (!changes.ok) {
    await pushHead(target, input.retry, { notViaApi: changes.reason });
    return { sha: local, via: { kind: "git", reason: changes.reason } };
  }
  const [headline = "", ...rest] = (await git(["-C", dir, "log", "-1", "--format=%B", local])).stdout.split(
    "\n",
  );
  if (input.isNew) await pushHead(target, input.retry, { source: parent });
  try {
    const sha = await commitThroughApi({
      gh: input.gh,
      owner: input.repo.owner,
      name: input.repo.name,
      branch: target.branch,
      expectedHeadOid: parent,
      headline,
      body: rest.join("\n").trim(),
      changes,
      dir,
      auth: target.auth,
    });
    return { sha, via: { kind: "api" } };
  } catch (error) {
    if (input.isNew) await deleteRemoteBranch(target).catch(() => undefined);
    throw error;
  }
}
