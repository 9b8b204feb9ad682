import type { TerminalState } from "../../core/status-marker.ts";

export interface TaskEnd {
  repo: string;
  issueNumber: number;
  /** The issue's page (the status comment's link). */
  issueUrl: string;
  state: TerminalState;
  /** The PR, pushed commit or review the task published (the usage record's link). */
  link?: string;
  pr?: number;
  /** The status comment's first line: what happened. */
  reason: string;
}

/** What the App says in Slack when a task a slash command started ends (Slack's `<url|text>` links). */
export function slackFollowUpText(end: TaskEnd): string {
  const issue = `<${end.issueUrl}|${end.repo}#${end.issueNumber}>`;
  if (end.state === "succeeded" && end.link && end.pr)
    return `The agent opened <${end.link}|${end.repo}#${end.pr}> for ${issue}.`;
  if (end.state === "succeeded" && end.link) return `The agent finished ${issue}: <${end.link}|result>.`;
  return `The agent's task on ${issue} ended (${end.state}): ${slackEscape(end.reason)}`;
}

/** Slack's three control characters in message text (https://api.slack.com/reference/surfaces/formatting#escaping). */
function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
