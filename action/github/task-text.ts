import type { AutomationConfig } from "../../core/config-schema.ts";
import { cleanPromptText } from "../../core/prompt-text.ts";
import type { Task } from "../../core/task.ts";
import type { AgentTaskText } from "../agent/types.ts";
import type { FrozenThread } from "./frozen-thread.ts";
import type { PullRequestInfo } from "./pull-request-info.ts";

const MAX_TITLE = 300;
const MAX_ITEM = 20_000;

const clean = (text: string, maxChars = MAX_ITEM) => cleanPromptText(text, { maxChars });

function prSection(task: Task, pr: PullRequestInfo): string {
  const lines = [
    `This is pull request #${pr.number}: ${pr.headRepo ?? "(deleted fork)"}:${pr.headRef} into ${pr.baseRef}.`,
    `The working tree is checked out at the PR's head (${pr.headSha.slice(0, 12)}); its base is ${pr.baseSha.slice(0, 12)}.`,
    `See the PR's changes with \`git diff ${pr.baseSha}...HEAD\`.`,
  ];
  if (task.kind === "review") {
    lines.push(
      "Review these changes: report problems with the finish tool's review comments on lines of the new version; do not edit files.",
    );
  }
  return lines.join("\n");
}

/** What the model reads: the frozen thread, cleaned, with the PR's shape when there is one. */
export function renderTaskText(task: Task, thread: FrozenThread, pr?: PullRequestInfo): AgentTaskText {
  const parts = [
    `${thread.isPullRequest ? "Pull request" : "Issue"} by @${thread.author}:\n\n${clean(thread.body) || "(no description)"}`,
  ];
  for (const comment of thread.comments) {
    const body = clean(comment.body);
    if (body) parts.push(`Comment by @${comment.author} at ${comment.createdAt}:\n\n${body}`);
  }
  if (pr) parts.push(prSection(task, pr));
  return {
    kind: task.kind,
    title: clean(thread.title, MAX_TITLE),
    body: parts.join("\n\n---\n\n"),
    ...(task.instructions ? { instructions: clean(task.instructions) } : {}),
  };
}

export function renderAutomationText(
  task: Task,
  automation: Pick<AutomationConfig, "instructions" | "description" | "output">,
  openPull?: Pick<PullRequestInfo, "number" | "headRef">,
  merged?: Pick<PullRequestInfo, "number" | "headRef" | "headSha" | "baseRef" | "baseSha">,
): AgentTaskText {
  const parts = [clean(automation.instructions)];
  if (merged) {
    parts.push(
      [
        `This follows up pull request #${merged.number} (\`${clean(merged.headRef, MAX_TITLE)}\` into \`${merged.baseRef}\`), which was just merged. The working tree is \`${merged.baseRef}\` with it merged.`,
        `See what it changed with \`git diff ${merged.baseSha}...${merged.headSha}\` (or \`git log -p ${merged.baseSha}..${merged.headSha}\`).`,
        "Your change becomes a pull request of its own; the merged one is not touched.",
      ].join("\n"),
    );
  }
  if (openPull) {
    parts.push(
      `This checkout is the branch \`${openPull.headRef}\` of this automation's open pull request #${openPull.number}, with the changes of earlier runs (and anything people added). Build on them; your change is added to that pull request as a new commit.`,
    );
  }
  return {
    kind: task.kind,
    title: clean(automation.description ?? `Automation ${task.automation}`, MAX_TITLE),
    body: parts.join("\n\n"),
    ...(task.instructions ? { instructions: clean(task.instructions) } : {}),
    ...(automation.output === "issue" ? { reportsFindings: true } : {}),
  };
}
