import type { RepoConfig } from "../../core/config.ts";
import { runnerRepoOf } from "../../core/runner-repository.ts";
import { renderStatusComment, type StatusMarker } from "../../core/status-marker.ts";
import { MAX_INSTRUCTIONS_CHARS, serializeTask, type Task, type TaskKind } from "../../core/task.ts";
import type { Deps, GitHub, Outcome, RepoRef } from "../deps/types.ts";
import { activeTask, readAgentComments } from "../github/agent-comments.ts";
import { editStatus, postStatus, reactEyes, reply } from "../github/github-writes.ts";
import { type DispatchTarget, dispatchAdvice } from "../texts/dispatch-advice.ts";
import { dispatchFailedText, queuedText, retryCommand } from "../texts/status-text.ts";
import { dispatchWorkflow } from "./dispatch-workflow.ts";
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
  const { octokit, delivery } = deps;
  const { repo, number, kind, config } = request;
  const instructions = request.instructions?.trim() || undefined;
  if (instructions !== undefined && instructions.length > MAX_INSTRUCTIONS_CHARS) {
    await reply(
      octokit,
      repo,
      number,
      `The instructions are ${instructions.length} characters; the limit is ${MAX_INSTRUCTIONS_CHARS}. Put the detail in the issue body and keep the command short.`,
    );
    return "answered";
  }
  return withIssueLock<Outcome>(`${repo.owner}/${repo.name}#${number}`, async () => {
    const comments = await readAgentComments(octokit, repo, number, deps.appId);
    if (comments.statuses.some((s) => s.marker.delivery === delivery)) return "duplicate";
    const active = activeTask(comments);
    if (active) {
      if (!request.quietWhenBusy) {
        await reply(
          octokit,
          repo,
          number,
          `⏳ A task is already running here ([status](${active.url})). Wait for it to finish, or stop it with \`${config.trigger.command} stop\`.`,
        );
      }
      return "busy";
    }
    const budget = await deps.checkBudget?.(repo);
    if (budget && !budget.ok) {
      deps.metrics.refusals.inc({ reason: "budget" });
      await reply(octokit, repo, number, `🚫 ${budget.message}`);
      await deps.recorder?.refused(record(), budget.message);
      return "refused";
    }
    await reactEyes(octokit, repo, {
      number,
      ...(request.commentId ? { commentId: request.commentId } : {}),
    });
    // Where the workflow runs, recorded before the dispatch: the action confirms a central runner
    // repository from this comment (core/runner-repository.ts), never from the task text.
    const runner = runnerRepoOf(config, repo);
    const marker: StatusMarker = {
      v: 1,
      task: { kind, number, ...(request.automation ? { automation: request.automation } : {}) },
      delivery,
      actor: request.actor,
      state: "queued",
      ...(runner.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase() ? { runner } : {}),
    };
    const status = await postStatus(
      octokit,
      repo,
      number,
      renderStatusComment(marker, queuedText(kind, request.actor)),
    );
    const task: Task = {
      v: request.reviewComment ? 2 : 1,
      ...(request.reviewComment ? { reviewComment: request.reviewComment } : {}),
      kind,
      repo,
      number,
      ...(request.automation ? { automation: request.automation } : {}),
      ...(instructions ? { instructions } : {}),
      trigger: {
        event: deps.event,
        delivery,
        actor: request.actor,
        ...(request.commentId ? { commentId: request.commentId } : {}),
        at: deps.now().toISOString(),
      },
      statusCommentId: status.id,
    };
    await deps.recorder?.dispatched({ ...record(), statusCommentId: status.id });
    const retry = retryCommand(kind, config.trigger.command, config.trigger.label);
    let target: DispatchTarget | undefined;
    try {
      target = await resolveDispatchTarget(octokit, repo, request.defaultBranch, config);
    } catch (error) {
      const [owner = repo.owner, name = repo.name] = config.dispatch.repo?.split("/") ?? [];
      const { problem, advice } = dispatchAdvice(error, {
        owner,
        name,
        workflow: config.dispatch.workflow,
        ref: "(default branch)",
      });
      return failed(problem, advice);
    }
    const result = await dispatchWorkflow(octokit, target, serializeTask(task), status.id, deps.now);
    if (!result.ok) return failed(result.problem, result.advice);
    deps.metrics.dispatches.inc({ kind, result: "ok" });
    if (result.run) await deps.recorder?.workflowRun(repo, status.id, result.run);
    if (result.run) {
      const withRun: StatusMarker = { ...marker, run: result.run };
      // Only over the "queued" we wrote: the runner's "running" may already be there.
      await editStatus(
        octokit,
        repo,
        status.id,
        renderStatusComment(withRun, queuedText(kind, request.actor, result.run)),
        ["queued"],
        status.known,
      );
    }
    return "dispatched";

    async function failed(problem: string, advice: string): Promise<Outcome> {
      deps.metrics.dispatches.inc({ kind, result: problem });
      deps.log.warn({ problem, repo: `${repo.owner}/${repo.name}`, number }, "dispatch failed");
      const text = dispatchFailedText(kind, advice, retry);
      const written = await editStatus(
        octokit,
        repo,
        status.id,
        renderStatusComment({ ...marker, state: "failed" }, text),
        ["queued"],
        status.known,
      );
      if (!written.written) {
        // A run started after all (it writes its own end), or the task was stopped meanwhile.
        deps.log.warn({ reason: written.reason }, "dispatch failure not written to the status comment");
        if (written.keepApart) await reply(octokit, repo, number, text);
        return "dispatch-failed";
      }
      await deps.recorder?.ended(repo, status.id, "failed", {
        reason: `could not start the agent: ${problem}`,
      });
      return "dispatch-failed";
    }

    function record() {
      return { repo, number, kind, actor: request.actor, event: deps.event, delivery, at: deps.now() };
    }
  });
}

/** The workflow to dispatch: in this repository or the central runner repository (`dispatch.repo`). */
async function resolveDispatchTarget(
  octokit: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  config: RepoConfig,
): Promise<DispatchTarget> {
  const [owner, name] = config.dispatch.repo?.split("/") ?? [repo.owner, repo.name];
  const sameRepo = owner === repo.owner && name === repo.name;
  let ref = config.dispatch.ref;
  if (ref === undefined) {
    ref = sameRepo
      ? defaultBranch
      : (await octokit.rest.repos.get({ owner: owner!, repo: name! })).data.default_branch;
  }
  return { owner: owner!, name: name!, workflow: config.dispatch.workflow, ref };
}
