import { isTerminalState, parseStatusMarker, type StatusMarker } from "../../core/status-marker.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

export interface StatusComment {
  id: number;
  url: string;
  body: string;
  marker: StatusMarker;
  /** When the App posted it: when the task was started. */
  createdAt: string;
}

export interface AgentComments {
  statuses: StatusComment[];
  /** Logins (lower-cased) already told they may not trigger the agent here. */
  refused: Set<string>;
}

/**
 * The App's own comments on an issue or PR, read back as state. Comments by anyone else are
 * skipped: a user could paste a marker to fake a running task.
 */
export async function readAgentComments(
  octokit: GitHub,
  repo: RepoRef,
  number: number,
  appId: number,
): Promise<AgentComments> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: repo.owner,
    repo: repo.name,
    issue_number: number,
    per_page: 100,
  });
  const statuses: StatusComment[] = [];
  const refused = new Set<string>();
  for (const comment of comments) {
    if (comment.performed_via_github_app?.id !== appId) continue;
    const body = comment.body ?? "";
    const marker = parseStatusMarker(body);
    if (marker)
      statuses.push({ id: comment.id, url: comment.html_url, body, marker, createdAt: comment.created_at });
    const refusedLogin = parseRefusalMarker(body);
    if (refusedLogin) refused.add(refusedLogin.toLowerCase());
  }
  return { statuses, refused };
}

/** The newest task on this issue that has not ended. */
export function activeTask(comments: AgentComments): StatusComment | undefined {
  return comments.statuses.filter((s) => !isTerminalState(s.marker.state)).at(-1);
}

/** A refusal comment carries the refused login, so each user is told once per issue, not per comment. */
export function renderRefusalMarker(login: string): string {
  return `<!-- inhouse:refused ${JSON.stringify({ actor: login }).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e")} -->`;
}

export function parseRefusalMarker(body: string): string | undefined {
  // Anchored like the status marker: the App writes it first; anywhere else it is someone's text.
  const json = /^<!-- inhouse:refused (\{.*?\}) -->/s.exec(body)?.[1];
  if (json === undefined) return undefined;
  try {
    const actor = (JSON.parse(json) as { actor?: unknown }).actor;
    return typeof actor === "string" ? actor : undefined;
  } catch {
    return undefined;
  }
}
