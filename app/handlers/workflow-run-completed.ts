import { isAutomationsWorkflowRun } from "../../core/automations-workflow.ts";
import { defaultConfig, type RepoConfig } from "../../core/config.ts";
import { httpStatus } from "../../core/github/http-status.ts";
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
import type { Deps, Outcome, RepoRef, RunRef } from "../deps/types.ts";
import { editStatus } from "../github/github-writes.ts";
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
  const { workflow_run: run } = payload;
  if (isAutomationsWorkflowRun(run)) return automationRunEnded(deps, payload);
  const tag = parseRunName(run.display_title);
  // whyNotOurRun decides; this early look at the event only spares the API calls for CI runs.
  if (!tag || run.event !== "workflow_dispatch") return "ignored";
  const status = await readOurStatus(deps, tag);
  if (!status) return "ignored";
  const ended = await endedRun(deps, payload, tag, status);
  if (!ended) return "ignored";
  if (isTerminalState(status.marker.state)) return reported(ended, status.marker, status.body);
  return endStatus(ended, status.marker);
}

type RunTag = NonNullable<ReturnType<typeof parseRunName>>;

/** The status comment the run's tag names, when the App wrote it and it carries a marker. */
interface OurStatus {
  body: string;
  url: string | undefined;
  marker: StatusMarker;
}

/** Our run of one task, ended: where its status is, what the history records, and the thread's config. */
interface EndedRun {
  deps: Deps;
  repo: RepoRef;
  tag: RunTag;
  status: OurStatus;
  config: RepoConfig;
  run: WorkflowRun["workflow_run"];
  runRef: RunRef;
  recordedRun: ReturnType<typeof recordedRunOf>;
}

/** No status comment to end: the records the token exchange made for this run take its conclusion. */
async function automationRunEnded(
  deps: Deps,
  { workflow_run: run, repository }: WorkflowRun,
): Promise<Outcome> {
  await deps.recorder?.automationEnded(`${repository.owner.login}/${repository.name}`, {
    id: run.id,
    repo: `${repository.owner.login}/${repository.name}`,
    conclusion: run.conclusion,
    ...(run.updated_at ? { completedAt: run.updated_at } : {}),
  });
  return "ignored";
}

async function readOurStatus(deps: Deps, tag: RunTag): Promise<OurStatus | undefined> {
  let comment: {
    body?: string | undefined;
    html_url?: string | undefined;
    performed_via_github_app?: { id: number } | null | undefined;
  };
  try {
    ({ data: comment } = await deps.octokit.rest.issues.getComment({
      owner: tag.owner,
      repo: tag.name,
      comment_id: tag.statusCommentId,
    }));
  } catch (error) {
    if (httpStatus(error) !== 404) throw error;
    deps.log.warn(
      { tag },
      "status comment of a finished agent run not found (deleted, or the App is not installed there)",
    );
    return undefined;
  }
  if (comment.performed_via_github_app?.id !== deps.appId) return undefined;
  const marker = parseStatusMarker(comment.body ?? "");
  return marker ? { body: comment.body ?? "", url: comment.html_url, marker } : undefined;
}

/** The run, if it is ours (task/our-run.ts decides), with what recording its end needs. */
async function endedRun(
  deps: Deps,
  { workflow_run: run, repository }: WorkflowRun,
  tag: RunTag,
  status: OurStatus,
): Promise<EndedRun | undefined> {
  const repo = { owner: tag.owner, name: tag.name };
  const runRepo = `${repository.owner.login}/${repository.name}`;
  const loaded = await loadRepoConfig(deps.octokit, repo, { defaultRunnerRepo: deps.defaultRunnerRepo });
  const config = loaded.parsed.ok ? loaded.parsed.value : defaultConfig();
  const notOurs = whyNotOurRun(
    { id: run.id, event: run.event, path: run.path, repo: runRepo },
    status.marker,
    `${repo.owner}/${repo.name}`,
    config.dispatch,
  );
  if (notOurs) {
    deps.log.warn(
      { tag, run: run.id },
      `workflow run ${run.id} carries our run-name tag but is not ours: ${notOurs}`,
    );
    return undefined;
  }
  const runRef: RunRef = { id: run.id, repo: runRepo, url: run.html_url };
  return { deps, repo, tag, status, config, run, runRef, recordedRun: recordedRunOf(run, runRef) };
}

/** The run as the run history records it. */
function recordedRunOf(run: WorkflowRun["workflow_run"], runRef: RunRef) {
  return {
    ...runRef,
    conclusion: run.conclusion,
    queuedAt: run.created_at,
    startedAt: run.run_started_at,
    completedAt: run.updated_at,
  };
}

/** The action reported: its final marker is the outcome; record it and answer in Slack. */
async function reported(ended: EndedRun, final: StatusMarker, body: string): Promise<Outcome> {
  const { deps, repo, tag } = ended;
  const reason = firstLine(statusText(body));
  const state = final.state as TerminalState;
  await deps.recorder?.ended(repo, tag.statusCommentId, state, {
    reason,
    run: ended.recordedRun,
    ...(final.usage ? { usage: final.usage } : {}),
  });
  await followUpInSlack(deps, repo, tag.number, ended.status.url, {
    state,
    reason,
    ...(final.usage?.link ? { link: final.usage.link } : {}),
    ...(final.usage?.pr ? { pr: final.usage.pr } : {}),
  });
  return "ignored";
}

/** The run ended before the task reported: end the status with what GitHub knows, unless the action's end won. */
async function endStatus(ended: EndedRun, marker: StatusMarker): Promise<Outcome> {
  const { deps, repo, tag, runRef } = ended;
  const conclusion = ended.run.conclusion ?? "unknown";
  const kind = marker.task.kind;
  const { trigger } = ended.config;
  const state = conclusion === "cancelled" ? "cancelled" : "failed";
  const written = await editStatus(
    deps.octokit,
    repo,
    tag.statusCommentId,
    renderStatusComment(
      { ...marker, state, run: runRef },
      runEndedText(kind, conclusion, runRef, retryCommand(kind, trigger.command, trigger.label)),
    ),
  );
  if (!written.written) {
    // The action's end landed after our read: it is the outcome (core/status-state.ts).
    if (written.current && isTerminalState(written.current.marker.state)) {
      return reported(ended, written.current.marker, written.current.body);
    }
    return "ignored";
  }
  const reason = `the workflow run ended (${conclusion}) before the agent reported`;
  await deps.recorder?.ended(repo, tag.statusCommentId, state, { reason, run: ended.recordedRun });
  await followUpInSlack(deps, repo, tag.number, ended.status.url, { state, reason });
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
