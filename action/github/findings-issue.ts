import type { Task } from "../../core/task.ts";
import type { AgentResult } from "../agent/types.ts";
import { factsTable } from "../publish/pr-body.ts";
import type { GitHub } from "./client.ts";

/** An automation whose output is an issue (a security scan, an audit): findings, no code. */
export async function openFindingsIssue(
  gh: GitHub,
  repo: { owner: string; name: string },
  task: Task,
  title: string,
  result: AgentResult,
  runUrl: string,
  redact: (text: string) => string,
): Promise<{ number: number; url: string }> {
  const body = [
    result.summary?.trim() || result.reason,
    `## Run\n\n${factsTable(result, runUrl)}`,
    `<sub>Opened by the inhouse automation \`${task.automation}\`.</sub>`,
  ].join("\n\n");
  const { data } = await gh.rest.issues.create({
    owner: repo.owner,
    repo: repo.name,
    title: redact(title),
    body: redact(body),
  });
  return { number: data.number, url: data.html_url };
}
