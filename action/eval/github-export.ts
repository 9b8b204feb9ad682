/**
 * Harvest through the GitHub API: the same export `gh` would print, read over REST, so the rest of
 * the harvest is one pipeline. Merged pull requests come from the closed-pulls list (`merged_at`
 * set: "List pull requests", https://docs.github.com/en/rest/pulls/pulls#list-pull-requests); the
 * issues each closes from its closing keywords, each read with its comments ("Get an issue",
 * "List issue comments"); the changed files from "List pull requests files" (at most 3,000).
 */
import { createGitHubClient, type GitHub } from "../github/client.ts";
import { closingKeywordReferences } from "./closing-keywords.ts";
import type { ExportedIssue, ExportedPull, RepositoryExport } from "./export-format.ts";

export interface GitHubExportOptions {
  token: string;
  apiUrl?: string;
  /** Merged pull requests read, newest first (default 200). */
  maxPulls?: number;
  client?: GitHub;
}

async function mergedPulls(github: GitHub, owner: string, repo: string, max: number) {
  const merged = [];
  for await (const page of github.paginate.iterator(github.rest.pulls.list, {
    owner,
    repo,
    state: "closed",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  })) {
    merged.push(...page.data.filter((pull) => pull.merged_at && pull.merge_commit_sha));
    if (merged.length >= max) break;
  }
  return merged.slice(0, max);
}

async function exportedPull(
  github: GitHub,
  owner: string,
  repo: string,
  number: number,
): Promise<ExportedPull> {
  const { data: pull } = await github.rest.pulls.get({ owner, repo, pull_number: number });
  const files = await github.paginate(github.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  return {
    number: pull.number,
    title: pull.title,
    body: pull.body,
    createdAt: pull.created_at,
    mergedAt: pull.merged_at,
    mergeCommit: pull.merge_commit_sha ? { oid: pull.merge_commit_sha } : null,
    baseRefName: pull.base.ref,
    closingIssuesReferences: [...new Set(closingKeywordReferences(`${pull.title}\n${pull.body ?? ""}`))].map(
      (issue) => ({ number: issue }),
    ),
    files: files.map((file) => ({ path: file.filename })),
    commits: Array.from({ length: pull.commits }, (_, i) => ({ oid: `#${i + 1}` })),
  };
}

async function exportedIssue(
  github: GitHub,
  owner: string,
  repo: string,
  number: number,
): Promise<ExportedIssue | undefined> {
  const { data: issue } = await github.rest.issues.get({ owner, repo, issue_number: number });
  if (issue.pull_request) return undefined;
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100,
  });
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    author: issue.user ? { login: issue.user.login } : null,
    state: issue.state.toUpperCase(),
    createdAt: issue.created_at,
    closedAt: issue.closed_at,
    comments: comments.map((c) => ({
      body: c.body ?? "",
      createdAt: c.created_at,
      author: c.user ? { login: c.user.login } : null,
    })),
  };
}

export async function exportFromGitHub(
  repository: string,
  options: GitHubExportOptions,
): Promise<RepositoryExport> {
  const [owner = "", repo = ""] = repository.split("/");
  if (!owner || !repo) throw new Error(`--github expects owner/name, got '${repository}'`);
  const github = options.client ?? createGitHubClient({ token: options.token, baseUrl: options.apiUrl });
  const pulls: ExportedPull[] = [];
  const issues = new Map<number, ExportedIssue>();
  for (const listed of await mergedPulls(github, owner, repo, options.maxPulls ?? 200)) {
    const pull = await exportedPull(github, owner, repo, listed.number);
    pulls.push(pull);
    for (const { number } of pull.closingIssuesReferences ?? []) {
      if (issues.has(number)) continue;
      const issue = await exportedIssue(github, owner, repo, number);
      if (issue) issues.set(number, issue);
    }
  }
  return { repository: `${owner}/${repo}`, issues: [...issues.values()], pulls };
}
