import { httpStatus } from "../../core/github/http-status.ts";
import type { GitHub } from "../github/client.ts";

export interface NewPullRequest {
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
  labels?: string[];
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  draft: boolean;
}

/**
 * Opens the PR. Repositories on plans without draft PRs answer 422; the PR is then opened ready
 * for review with the title saying it is a draft, instead of failing a finished task.
 */
export async function openPullRequest(gh: GitHub, pr: NewPullRequest): Promise<OpenedPullRequest> {
  const base = { owner: pr.owner, repo: pr.repo, head: pr.head, base: pr.base, body: pr.body };
  let opened: { number: number; html_url: string };
  let draft = pr.draft;
  try {
    ({ data: opened } = await gh.rest.pulls.create({ ...base, title: pr.title, draft: pr.draft }));
  } catch (error) {
    const message = (error as Error).message ?? "";
    if (!pr.draft || httpStatus(error) !== 422 || !/draft/i.test(message)) throw error;
    draft = false;
    ({ data: opened } = await gh.rest.pulls.create({ ...base, title: `[draft] ${pr.title}`, draft: false }));
  }
  if (pr.labels && pr.labels.length > 0) {
    await gh.rest.issues.addLabels({
      owner: pr.owner,
      repo: pr.repo,
      issue_number: opened.number,
      labels: pr.labels,
    });
  }
  return { number: opened.number, url: opened.html_url, draft };
}

export async function replyInThread(
  gh: GitHub,
  repo: { owner: string; name: string },
  number: number,
  body: string,
): Promise<string> {
  const { data } = await gh.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.name,
    issue_number: number,
    body,
  });
  return data.html_url;
}
