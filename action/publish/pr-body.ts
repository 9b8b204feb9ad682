import type { Task } from "../../core/task.ts";
import type { AgentResult } from "../agent/types.ts";
import { automationFooter } from "../automation/automation-threads.ts";

export interface ReportFacts {
  task: Task;
  result: AgentResult;
  runUrl: string;
  /** Set for fork PRs and other cases where the reader needs to know why the PR is shaped this way. */
  note?: string;
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/** A fence that the output cannot close. */
function codeBlock(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = "`".repeat(longest + 1);
  return `${f}\n${text.replace(/\n+$/, "")}\n${f}`;
}

export function verificationLine(result: AgentResult): string {
  const v = result.verification;
  if (!v) return "not run: no test command is configured (set commands.test in .github/agent.yml)";
  return v.passed ? `passed: \`${v.command}\`` : `failed (exit ${v.exitCode}): \`${v.command}\``;
}

/** The facts table shared by the PR body, the thread reply and the job summary. */
export function factsTable(result: AgentResult, runUrl: string): string {
  const t = result.tokens;
  return [
    "| | |",
    "| --- | --- |",
    `| Verification | ${verificationLine(result)} |`,
    `| Turns | ${result.turns} |`,
    `| Tokens | ${t.total.toLocaleString("en-US")}${t.estimated ? " (estimated)" : ""} (prompt ${t.prompt}, completion ${t.completion}) |`,
    `| Time | ${minutes(result.durationMs)} |`,
    `| Run | [workflow run](${runUrl}) |`,
  ].join("\n");
}

export function pullRequestBody(facts: ReportFacts): string {
  const { task, result } = facts;
  const parts: string[] = [];
  if (task.kind === "fix-issue") parts.push(`Closes #${task.number}`);
  else if (task.number !== undefined) parts.push(`Follows up on #${task.number}`);
  if (facts.note) parts.push(`> [!NOTE]\n> ${facts.note}`);
  parts.push(`## Summary\n\n${result.summary?.trim() || result.reason}`);
  if (result.verification && !result.verification.passed) {
    parts.push(
      "> [!WARNING]\n> Verification failed, so this PR is a draft. Review the output below before marking it ready.",
    );
  }
  parts.push(`## Run\n\n${factsTable(result, facts.runUrl)}`);
  if (result.verification?.outputTail.trim()) {
    parts.push(
      `<details><summary>Test output (tail)</summary>\n\n${codeBlock(result.verification.outputTail)}\n\n</details>`,
    );
  }
  if (task.kind === "automation") parts.push(automationFooter(task.automation!));
  else
    parts.push(
      `<sub>Opened by inhouse for @${task.trigger.actor} (${task.trigger.event}, delivery ${task.trigger.delivery}). Review it like any contribution.</sub>`,
    );
  return parts.join("\n\n");
}

export function pullRequestTitle(kind: Task["kind"], title: string, number?: number): string {
  const clean = title.replace(/\s+/g, " ").trim();
  const base = kind === "fix-issue" ? `Fix #${number}: ${clean}` : clean;
  return base.length > 120 ? `${base.slice(0, 117)}...` : base;
}
