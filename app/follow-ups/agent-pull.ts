import { readTrailer, TRAILER } from "../../core/commit-trailers.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

export type AgentPull =
  | {
      ok: true;
      number: number;
      headSha: string;
      /** Who asked for the work the PR carries (the first agent commit's `Inhouse-Requested-By`). */
      requester: string;
      /** When the head commit was made: a follow-up started after it already saw this failure. */
      headCommittedAt: string | undefined;
    }
  | { ok: false; why: string };

/**
 * Whether a pull request is the agent's own and still only the agent's: opened by a bot from a
 * branch under `pr.branchPrefix` of this repository, and every commit on it an agent commit (it
 * carries the `Inhouse-Task` trailer and, where GitHub links an account, is by the PR's bot). A
 * person's commit means the person has taken over: the App leaves the PR to them.
 */
export async function readAgentPull(
  octokit: GitHub,
  repo: RepoRef,
  number: number,
  branchPrefix: string,
): Promise<AgentPull> {
  const owner = repo.owner;
  const { data: pull } = await octokit.rest.pulls.get({ owner, repo: repo.name, pull_number: number });
  if (pull.state !== "open") return { ok: false, why: `#${number} is ${pull.state}` };
  const bot = pull.user?.login ?? "";
  if (pull.user?.type !== "Bot") return { ok: false, why: `#${number} was opened by a person (@${bot})` };
  if (!pull.head.ref.startsWith(branchPrefix) || pull.head.repo?.full_name !== pull.base.repo.full_name) {
    return { ok: false, why: `#${number} is not from an agent branch (${branchPrefix}…) of this repository` };
  }
  // GitHub lists at most 250 commits here; an agent PR with more is no longer the agent's to fix.
  const commits = await octokit.paginate(octokit.rest.pulls.listCommits, {
    owner,
    repo: repo.name,
    pull_number: number,
    per_page: 100,
  });
  if (commits.length === 0 || commits.length >= 250) {
    return { ok: false, why: `#${number} has ${commits.length} commits` };
  }
  for (const commit of commits) {
    const byAgent =
      readTrailer(commit.commit.message, TRAILER.task) !== undefined &&
      (commit.author === null || commit.author.login === bot);
    if (!byAgent) {
      const who = commit.author?.login ?? commit.commit.author?.name ?? "someone";
      return {
        ok: false,
        why: `${who} pushed ${commit.sha.slice(0, 12)} to #${number}: a person has taken over, so the agent does not follow up`,
      };
    }
  }
  const requester = readTrailer(commits[0]!.commit.message, TRAILER.requestedBy)?.replace(/^@/, "");
  if (!requester) return { ok: false, why: `#${number}'s first commit names no requester` };
  const head = commits.at(-1)!;
  return {
    ok: true,
    number,
    headSha: pull.head.sha,
    requester,
    headCommittedAt: head.commit.committer?.date ?? undefined,
  };
}
