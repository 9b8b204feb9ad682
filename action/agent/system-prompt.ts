/** The system prompt and the opening message. Built once per run, so the request prefix never changes. */
import type { Tool } from "../tools/types.ts";
import type { RuleFile } from "./rule-files.ts";
import type { AgentTaskText } from "./types.ts";

export interface PromptParts {
  task: AgentTaskText;
  ruleFiles: RuleFile[];
  testCommand?: string;
  tools: Tool[];
  /** Setup commands that failed, with their output, so the model knows the environment is incomplete. */
  setupFailures: string[];
  /** MCP servers that could not start, so the model does not look for their tools. */
  mcpProblems?: string[];
}

const KIND_GOAL: Record<AgentTaskText["kind"], string> = {
  "fix-issue": "Resolve the issue below with a focused change to this repository.",
  "fix-pr": "Address the review feedback on this pull request with focused commits to its branch.",
  review:
    "Review this pull request. Leave inline comments with review_comment where something is wrong or could be clearer; do not change files.",
  automation: "Carry out the automation task below on this repository.",
};

function workingRules(parts: PromptParts): string[] {
  const test = parts.testCommand
    ? `The test command is \`${parts.testCommand}\`. Run it with the run tool before you finish; when you call finish it runs again, and if it fails you get its output and continue.`
    : "No test command is configured; check your change by running what the repository offers before you finish.";
  const lines = [
    "- Explore first (list_files, search, read_file), then make the smallest change that solves the task.",
    "- Change files with edit_file (exact snippet, must occur once) or write_file; never print a patch instead.",
    `- ${test}`,
    "- Commands run in a sandbox without credentials and usually without network; do not try to push, publish or install from the internet.",
    "- Do not edit files under .github/workflows unless the task asks for it.",
    "- When done, call finish with a short summary for the pull request: what changed and why.",
  ];
  if (parts.task.kind === "review") {
    lines.splice(
      1,
      1,
      "- Do not change files: comment with review_comment (path, line, body, optional suggestion).",
    );
  } else if (parts.task.reportsFindings) {
    lines.splice(1, 2, "- Do not change files: record each finding with report_finding (path, line, body).");
    lines.splice(-1, 1, "- When done, call finish with a short summary of what you checked and found.");
  }
  return lines;
}

export function buildSystemPrompt(parts: PromptParts): string {
  const sections = [
    "You are inhouse, a coding agent working in a checkout of a repository inside a sandbox. Every tool runs there, from the repository root.",
    `## Goal\n${KIND_GOAL[parts.task.kind]}`,
    `## How to work\n${workingRules(parts).join("\n")}`,
    `## Tools\n${parts.tools.map((tool) => `- ${tool.name}: ${tool.description}`).join("\n")}`,
  ];
  if (parts.ruleFiles.length > 0) {
    const rules = parts.ruleFiles.map((file) => `### ${file.path}\n${file.content}`).join("\n\n");
    sections.push(
      `## Repository rules\nThe repository's own instructions, highest precedence first; follow them unless they conflict with the goal.\n\n${rules}`,
    );
  }
  return sections.join("\n\n");
}

export function buildTaskMessage(parts: PromptParts): string {
  const { task } = parts;
  const sections = [`# ${task.title}`, task.body.trim() || "(no description)"];
  if (task.instructions?.trim()) sections.push(`## Extra instructions\n${task.instructions.trim()}`);
  if (parts.mcpProblems?.length) {
    sections.push(`## MCP servers\n${parts.mcpProblems.join("\n")}`);
  }
  if (parts.setupFailures.length > 0) {
    sections.push(
      `## Setup problems\nThese setup commands failed before you started:\n\n${parts.setupFailures.join("\n\n")}`,
    );
  }
  return sections.join("\n\n");
}
