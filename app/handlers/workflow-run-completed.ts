import { isAutomationsWorkflowRun } from "../../core/automations-workflow.ts";
import { defaultConfig } from "../../core/config.ts";
import {
  isTerminalState,
  parseRunName,
  parseStatusMarker,
  renderStatusComment,
  type StatusMarker,
  statusText,
  type TerminalState,
} from "../../core/status-marker.ts";
import type { WorkflowRun } from "../deps/payloads.ts";
import type { Deps, Outcome, RepoRef } from "../deps/types.ts";
import { editStatus } from "../github/github-writes.ts";
import { httpStatus } from "../github/http-status.ts";
import { loadRepoConfig } from "../github/load-repo-config.ts";
import { slackFollowUpText, type TaskEnd } from "../intake/slack-follow-up-text.ts";
import { whyNotOurRun } from "../task/our-run.ts";
import { retryCommand, runEndedText } from "../texts/status-text.ts";

/**
 * `workflow_run.completed` of an agent run: when the runner died, was cancelled or timed out before
 * the task reported, end the status comment with what GitHub knows. Nothing stays "in progress".
 * A run of the automations workflow (no App dispatch behind it) only ends its run-history records.
 */
export async function handleWorkflowRunCompleted(deps: Deps, payload: WorkflowRun): Promise<Outcome> {
  const { workflow_run: run, repository } = payload;
  if (isAutomationsWorkflowRun(run)) {
    // No status comment to end: the records the token exchange made for this run take its conclusion.
    await deps.recorder?.automationEnded(`${repository.owner.login}/${repository.name}`, {
      id: run.id,
      repo: `${repository.owner.login}/${repository.name}`,
      conclusion: run.conclusion,
      ...(run.updated_at ? { completedAt: run.updated_at } : {}),
    });
    return "ignored";
  }
  const tag = parseRunName(run.display_title);
  // whyNotOurRun decides; this early look at the event only spares the API calls for CI runs.
  if (!tag || run.event !== "workflow_dispatch") return "ignored";
  const repo = { owner: tag.owner, name: tag.name };
  let comment: {
    body?: string | undefined;
    html_url?: string | undefined;
    performed_via_github_app?: { id: number } | null | undefined;
  };
  try {
    ({ data: comment } = await deps.octokit.rest.issues.getComment({
      owner: repo.owner,
      repo: repo.name,
      comment_id: tag.statusCommentId,
    }));
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
    deps.log.warn(
      { tag },
      "status comment of a finished agent run not found (deleted, or the App is not installed there)",
    );
    return "ignored";
  }
  if (comment.performed_via_github_app?.id !== deps.appId) return "ignored";
  const marker = parseStatusMarker(comment.body ?? "");
  if (!marker) return "ignored";
  const runRepo = `${repository.owner.login}/${repository.name}`;
  const loaded = await loadRepoConfig(deps.octokit, repo, { defaultRunnerRepo: deps.defaultRunnerRepo });
  const config = loaded.parsed.ok ? loaded.parsed.value : defaultConfig();
  const notOurs = whyNotOurRun(
    { id: run.id, event: run.event, path: run.path, repo: runRepo },
    marker,
    `${repo.owner}/${repo.name}`,
    config.dispatch,
  );
  if (notOurs) {
    deps.log.warn(
      { tag, run: run.id },
      `workflow run ${run.id} carries our run-name tag but is not ours: ${notOurs}`,
    );
    return "ignored";
  }
  const runRef = { id: run.id, repo: runRepo, url: run.html_url };
  const recordedRun = {
    ...runRef,
    conclusion: run.conclusion,
    queuedAt: run.created_at,
    startedAt: run.run_started_at,
    completedAt: run.updated_at,
  };
  const reported = async (ended: StatusMarker, body: string): Promise<Outcome> => {
    // The action reported: its final marker is the outcome.
    const reason = firstLine(statusText(body));
    const state = ended.state as TerminalState;
    await deps.recorder?.ended(repo, tag.statusCommentId, state, {
      reason,
      run: recordedRun,
      ...(ended.usage ? { usage: ended.usage } : {}),
    });
    await followUpInSlack(deps, repo, tag.number, comment.html_url, {
      state,
      reason,
      ...(ended.usage?.link ? { link: ended.usage.link } : {}),
      ...(ended.usage?.pr ? { pr: ended.usage.pr } : {}),
    });
    return "ignored";
  };
  if (isTerminalState(marker.state)) return reported(marker, comment.body ?? "");
  const conclusion = run.conclusion ?? "unknown";
  const kind = marker.task.kind;
  const { trigger } = config;
  const ended = conclusion === "cancelled" ? "cancelled" : "failed";
  const written = await editStatus(
    deps.octokit,
    repo,
    tag.statusCommentId,
    renderStatusComment(
      { ...marker, state: ended, run: runRef },
      runEndedText(kind, conclusion, runRef, retryCommand(kind, trigger.command, trigger.label)),
    ),
  );
  if (!written.written) {
    // The action's end landed after our read: it is the outcome (core/status-state.ts).
    if (written.current && isTerminalState(written.current.marker.state)) {
      return reported(written.current.marker, written.current.body);
    }
    return "ignored";
  }
  const reason = `the workflow run ended (${conclusion}) before the agent reported`;
  await deps.recorder?.ended(repo, tag.statusCommentId, ended, { reason, run: recordedRun });
  await followUpInSlack(deps, repo, tag.number, comment.html_url, { state: ended, reason });
  return "closed";
}

/** A task a Slack command started: say how it ended where it was asked for (nothing otherwise). */
async function followUpInSlack(
  deps: Deps,
  repo: RepoRef,
  issueNumber: number | undefined,
  issueUrl: string | undefined,
  end: Pick<TaskEnd, "state" | "reason" | "link" | "pr">,
): Promise<void> {
  if (!deps.slackFollowUps || issueNumber === undefined || !issueUrl) return;
  const text = slackFollowUpText({
    ...end,
    repo: `${repo.owner}/${repo.name}`,
    issueNumber,
    issueUrl: issueUrl.split("#")[0]!,
  });
  await deps.slackFollowUps.send(repo, issueNumber, text, deps.now());
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.slice(0, 500) ?? "";
}
