import type { GitHub } from "./client.ts";

export interface PullRequestInfo {
  number: number;
  state: "open" | "closed";
  merged: boolean;
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository; undefined when the fork was deleted. */
  headRepo?: string;
  baseRef: string;
  baseSha: string;
  /** The head lives in another repository: the agent cannot push there. */
  isFork: boolean;
  maintainerCanModify: boolean;
}

export async function fetchPullRequest(
  gh: GitHub,
  repo: { owner: string; name: string },
  number: number,
): Promise<PullRequestInfo> {
  const { data } = await gh.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: number });
  const headRepo = data.head.repo?.full_name;
  return {
    number,
    state: data.state === "closed" ? "closed" : "open",
    merged: data.merged === true,
    headRef: data.head.ref,
    headSha: data.head.sha,
    headRepo,
    baseRef: data.base.ref,
    baseSha: data.base.sha,
    isFork: headRepo?.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase(),
    maintainerCanModify: data.maintainer_can_modify === true,
  };
}
