import type { RepoConfig } from "../../core/config.ts";
import type { KnownComment } from "../../core/github/status-comment-access.ts";
import { runnerRepoOf } from "../../core/runner-repository.ts";
import { renderStatusComment, type StatusMarker } from "../../core/status-marker.ts";
import { MAX_INSTRUCTIONS_CHARS, serializeTask, type Task, type TaskKind } from "../../core/task.ts";
import type { Deps, GitHub, Outcome, RepoRef, RunRef } from "../deps/types.ts";
import { activeTask, readAgentComments } from "../github/agent-comments.ts";
import { editStatus, postStatus, reactEyes, reply } from "../github/github-writes.ts";
import { type DispatchTarget, dispatchAdvice } from "../texts/dispatch-advice.ts";
import { dispatchFailedText, queuedText, retryCommand } from "../texts/status-text.ts";
import { type DispatchResult, dispatchWorkflow } from "./dispatch-workflow.ts";
import { withIssueLock } from "./issue-lock.ts";

export interface TaskRequest {
  repo: RepoRef;
  defaultBranch: string;
  number: number;
  kind: TaskKind;
  actor: string;
  config: RepoConfig;
  instructions?: string;
  /**
   * The automation that started it: a merge follow-up (`kind: automation`, its name in
   * `automations.tasks`), or the App's own follow-up of a failed check (`kind: fix-pr`). The status
   * marker carries it, so the App can count those follow-ups on a thread.
   */
  automation?: string;
  /** A command on a line of the diff: the agent answers in its thread (a v2 task, core/task.ts). */
  reviewComment?: { id: number; path: string };
  /** The triggering comment; absent for label and pull-request triggers (👀 goes on the issue). */
  commentId?: number;
  /** A label re-added or a PR event while a task runs: start nothing and say nothing. */
  quietWhenBusy: boolean;
}

/** Acknowledge, post the one status comment, dispatch, record the run: docs/design.md, "How a task flows". */
export async function startTask(deps: Deps, request: TaskRequest): Promise<Outcome> {
  const instructions = request.instructions?.trim() || undefined;
  if (instructions !== undefined && instructions.length > MAX_INSTRUCTIONS_CHARS)
    return answerTooLong(deps, request, instructions.length);
  const { repo, number } = request;
  return withIssueLock<Outcome>(`${repo.owner}/${repo.name}#${number}`, async () => {
    const heldBack = await holdBack(deps, request);
    if (heldBack) return heldBack;
    const started = await postQueuedStatus(deps, request);
    const task = taskInput(started, instructions);
    await deps.recorder?.dispatched({ ...taskRecord(deps, request), statusCommentId: started.statusId });
    const result = await dispatch(started, task);
    if (!result.ok) return dispatchFailed(started, result.problem, result.advice);
    deps.metrics.dispatches.inc({ kind: request.kind, result: "ok" });
    if (result.run) await linkRun(started, result.run);
    return "dispatched";
  });
}

/** A task whose status comment is posted: everything the dispatch and its outcome write to. */
interface StartedTask {
  deps: Deps;
  request: TaskRequest;
  marker: StatusMarker;
  statusId: number;
  /** What our own POST answered (its ETag): the first edit's read is conditional (github-writes.ts). */
  known?: KnownComment;
}

async function answerTooLong(deps: Deps, { repo, number }: TaskRequest, length: number): Promise<Outcome> {
  await reply(
    deps.octokit,
    repo,
    number,
    `The instructions are ${length} characters; the limit is ${MAX_INSTRUCTIONS_CHARS}. Put the detail in the issue body and keep the command short.`,
  );
  return "answered";
}

/** Why this delivery starts nothing: seen before, a task already running, or over budget. */
async function holdBack(deps: Deps, request: TaskRequest): Promise<Outcome | undefined> {
  const { octokit } = deps;
  const { repo, number } = request;
  const comments = await readAgentComments(octokit, repo, number, deps.appId);
  if (comments.statuses.some((s) => s.marker.delivery === deps.delivery)) return "duplicate";
  const active = activeTask(comments);
  if (active) {
    if (!request.quietWhenBusy) {
      await reply(
        octokit,
        repo,
        number,
        `⏳ A task is already running here ([status](${active.url})). Wait for it to finish, or stop it with \`${request.config.trigger.command} stop\`.`,
      );
    }
    return "busy";
  }
  const budget = await deps.checkBudget?.(repo);
  if (budget && !budget.ok) {
    deps.metrics.refusals.inc({ reason: "budget" });
    await reply(octokit, repo, number, `🚫 ${budget.message}`);
    await deps.recorder?.refused(taskRecord(deps, request), budget.message);
    return "refused";
  }
  return undefined;
}

/** 👀 on the trigger, then the one status comment, queued, with its hidden marker. */
async function postQueuedStatus(deps: Deps, request: TaskRequest): Promise<StartedTask> {
  const { repo, number, kind, config } = request;
  await reactEyes(deps.octokit, repo, {
    number,
    ...(request.commentId ? { commentId: request.commentId } : {}),
  });
  // Where the workflow runs, recorded before the dispatch: the action confirms a central runner
  // repository from this comment (core/runner-repository.ts), never from the task text.
  const runner = runnerRepoOf(config, repo);
  const marker: StatusMarker = {
    v: 1,
    task: { kind, number, ...(request.automation ? { automation: request.automation } : {}) },
    delivery: deps.delivery,
    actor: request.actor,
    state: "queued",
    ...(runner.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase() ? { runner } : {}),
  };
  const status = await postStatus(
    deps.octokit,
    repo,
    number,
    renderStatusComment(marker, queuedText(kind, request.actor)),
  );
  return { deps, request, marker, statusId: status.id, ...(status.known ? { known: status.known } : {}) };
}

/** The workflow's `task` input (core/task.ts). */
function taskInput({ deps, request, statusId }: StartedTask, instructions: string | undefined): Task {
  const { repo, number, kind } = request;
  return {
    v: request.reviewComment ? 2 : 1,
    ...(request.reviewComment ? { reviewComment: request.reviewComment } : {}),
    kind,
    repo,
    number,
    ...(request.automation ? { automation: request.automation } : {}),
    ...(instructions ? { instructions } : {}),
    trigger: {
      event: deps.event,
      delivery: deps.delivery,
      actor: request.actor,
      ...(request.commentId ? { commentId: request.commentId } : {}),
      at: deps.now().toISOString(),
    },
    statusCommentId: statusId,
  };
}

/** Finds the workflow (here or in the runner repository) and dispatches it with the task. */
async function dispatch({ deps, request, statusId }: StartedTask, task: Task): Promise<DispatchResult> {
  const { repo, config } = request;
  const runner = runnerRepoRef(config, repo);
  let target: DispatchTarget;
  try {
    target = await resolveDispatchTarget(deps.octokit, runner, repo, request.defaultBranch, config);
  } catch (error) {
    const advice = dispatchAdvice(error, {
      ...runner,
      workflow: config.dispatch.workflow,
      ref: "(default branch)",
    });
    return { ok: false, ...advice };
  }
  return dispatchWorkflow(deps.octokit, target, serializeTask(task), statusId, deps.now);
}

/** The run is known: record it and link it from the status, over the "queued" we wrote only. */
async function linkRun({ deps, request, marker, statusId, known }: StartedTask, run: RunRef): Promise<void> {
  await deps.recorder?.workflowRun(request.repo, statusId, run);
  const withRun: StatusMarker = { ...marker, run };
  // Only over the "queued" we wrote: the runner's "running" may already be there.
  await editStatus(
    deps.octokit,
    request.repo,
    statusId,
    renderStatusComment(withRun, queuedText(request.kind, request.actor, run)),
    ["queued"],
    known,
  );
}

/** The status says the dispatch failed and what to do, unless a run or a stop got there first. */
async function dispatchFailed(
  { deps, request, marker, statusId, known }: StartedTask,
  problem: string,
  advice: string,
): Promise<Outcome> {
  const { repo, number, kind, config } = request;
  deps.metrics.dispatches.inc({ kind, result: problem });
  deps.log.warn({ problem, repo: `${repo.owner}/${repo.name}`, number }, "dispatch failed");
  const retry = retryCommand(kind, config.trigger.command, config.trigger.label);
  const text = dispatchFailedText(kind, advice, retry);
  const written = await editStatus(
    deps.octokit,
    repo,
    statusId,
    renderStatusComment({ ...marker, state: "failed" }, text),
    ["queued"],
    known,
  );
  if (!written.written) {
    // A run started after all (it writes its own end), or the task was stopped meanwhile.
    deps.log.warn({ reason: written.reason }, "dispatch failure not written to the status comment");
    if (written.keepApart) await reply(deps.octokit, repo, number, text);
    return "dispatch-failed";
  }
  await deps.recorder?.ended(repo, statusId, "failed", {
    reason: `could not start the agent: ${problem}`,
  });
  return "dispatch-failed";
}

function taskRecord(deps: Deps, request: TaskRequest) {
  const { repo, number, kind, actor } = request;
  return { repo, number, kind, actor, event: deps.event, delivery: deps.delivery, at: deps.now() };
}

/** `runnerRepoOf` (core/runner-repository.ts) as owner and name. */
function runnerRepoRef(config: RepoConfig, repo: RepoRef): RepoRef {
  const [owner = repo.owner, name = repo.name] = runnerRepoOf(config, repo).split("/");
  return { owner, name };
}

/** The workflow to dispatch in `runner`: this repository or the central runner repository (`dispatch.repo`). */
async function resolveDispatchTarget(
  octokit: GitHub,
  runner: RepoRef,
  repo: RepoRef,
  defaultBranch: string,
  config: RepoConfig,
): Promise<DispatchTarget> {
  // GitHub's owner and repository names are case-insensitive, as postQueuedStatus compares them.
  const sameRepo =
    `${runner.owner}/${runner.name}`.toLowerCase() === `${repo.owner}/${repo.name}`.toLowerCase();
  const ref =
    config.dispatch.ref ??
    (sameRepo
      ? defaultBranch
      : (await octokit.rest.repos.get({ owner: runner.owner, repo: runner.name })).data.default_branch);
  return { ...runner, workflow: config.dispatch.workflow, ref };
}
