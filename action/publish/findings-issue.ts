import type { Task } from "../../core/task.ts";
import type { AgentResult } from "../agent/types.ts";
import {
  automationFooter,
  findAutomationIssue,
  withAutomationMarker,
} from "../automation/automation-threads.ts";
import type { GitHub } from "../github/client.ts";
import type { ReviewComment } from "../tools/types.ts";
import { factsTable } from "./pr-body.ts";

export type FindingsOutcome =
  | { kind: "nothing-found" }
  | { kind: "opened" | "commented"; number: number; url: string; findings: number };

function findingsList(findings: ReviewComment[]): string {
  const sorted = [...findings].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return sorted
    .map((finding) => `- \`${finding.path}:${finding.line}\`: ${finding.body.replace(/\s*\n\s*/g, " ")}`)
    .join("\n");
}

/**
 * An automation whose output is an issue (a scan, an audit): its findings, with file and line, in
 * the automation's one open issue; a comment there when it has one, a new issue otherwise. A run
 * that found nothing writes nothing.
 */
export async function publishFindings(
  gh: GitHub,
  repo: { owner: string; name: string },
  task: Task,
  title: string,
  result: AgentResult,
  runUrl: string,
  redact: (text: string) => string,
): Promise<FindingsOutcome> {
  const findings = result.reviewComments;
  if (findings.length === 0) return { kind: "nothing-found" };
  const name = task.automation!;
  const report = [
    `## Findings (${findings.length})\n\n${findingsList(findings)}`,
    result.summary?.trim() || result.reason,
    `## Run\n\n${factsTable(result, runUrl)}`,
  ];
  const target = { owner: repo.owner, repo: repo.name };
  const open = await findAutomationIssue(gh, repo, name);
  if (open) {
    const body = redact([`Run of ${task.trigger.delivery} (${task.trigger.event}):`, ...report].join("\n\n"));
    await gh.rest.issues.createComment({ ...target, issue_number: open.number, body });
    return { kind: "commented", number: open.number, url: open.url, findings: findings.length };
  }
  const { data } = await gh.rest.issues.create({
    ...target,
    title: redact(title),
    body: withAutomationMarker(redact([...report, automationFooter(name)].join("\n\n")), name),
  });
  return { kind: "opened", number: data.number, url: data.html_url, findings: findings.length };
}
