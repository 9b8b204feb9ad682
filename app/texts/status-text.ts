import type { TaskKind } from "../../core/task.ts";
import type { RunRef } from "../deps/types.ts";

const what: Record<TaskKind, string> = {
  "fix-issue": "fix this issue",
  "fix-pr": "push a fix to this pull request",
  review: "review this pull request",
  automation: "run the automation",
};

function runLink(run: RunRef | undefined): string {
  if (!run) return "the workflow run has not been found yet; it will link here once it starts";
  return run.url ? `workflow run [#${run.id}](${run.url})` : `workflow run #${run.id} in \`${run.repo}\``;
}

export function queuedText(kind: TaskKind, actor: string, run?: RunRef): string {
  return `👀 Queued: the agent will ${what[kind]} (asked by @${actor}). Status: **queued**, ${runLink(run)}.`;
}

export function dispatchFailedText(kind: TaskKind, advice: string, retry: string): string {
  return `❌ Could not start the agent to ${what[kind]}: **failed**.\n\n${advice}\n\nAfter fixing this, retry with ${retry}.`;
}

export function cancelledText(kind: TaskKind, by: string, run?: RunRef): string {
  return `⏹️ Cancelled by @${by}: the agent will not ${what[kind]}. Status: **cancelled** (${runLink(run)}).`;
}

/** The run ended but the task never reported a result: say what GitHub knows. */
export function runEndedText(kind: TaskKind, conclusion: string, run: RunRef, retry: string): string {
  const why =
    conclusion === "cancelled"
      ? "was cancelled"
      : conclusion === "timed_out"
        ? "timed out"
        : conclusion === "success"
          ? "finished without the agent reporting a result (the agent step may have been skipped)"
          : `ended with \`${conclusion}\` before the agent reported (the runner may have died or failed to start)`;
  const state = conclusion === "cancelled" ? "cancelled" : "failed";
  return `⚠️ The agent did not ${what[kind]}: ${runLink(run)} ${why}. Status: **${state}**.\n\nRetry with ${retry}; check the run's log if it happens again.`;
}

/** How to ask again, as Markdown. */
export function retryCommand(kind: TaskKind, prefix: string, label: string): string {
  if (kind === "review") return `\`${prefix} review\``;
  if (kind === "fix-issue") return `\`${prefix} fix\` (or re-add the \`${label}\` label)`;
  return `\`${prefix} fix\``;
}
