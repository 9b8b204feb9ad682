import type { RouteContext } from "./context.ts";
import { renderTemplate } from "./expressions.ts";
import { expandMatrix } from "./matrix.ts";
import { now, type RepoRecord, type RunRecord, type UserRecord } from "./state.ts";
import type { WorkflowFile } from "./workflow-file.ts";

export interface RunRequest {
  repo: RepoRecord;
  file: string;
  workflow: WorkflowFile;
  /** The commit the run uses: the dispatched ref's, or the default branch's for a schedule. */
  sha: string;
  branch: string;
  event: RunRecord["event"];
  actor: UserRecord;
  inputs: Record<string, string>;
  eventPayload?: Record<string, unknown>;
  /** The title without `run-name` when it is not the workflow's name (a pull request's title). */
  defaultTitle?: string;
}

/**
 * A queued run as GitHub records it: run-name, concurrency group and matrix rendered with the
 * run's `inputs` and `github` context (event name, repository, the event payload).
 */
export function newRun(ctx: RouteContext, request: RunRequest): RunRecord {
  const { repo, file, workflow, inputs } = request;
  const github = {
    event_name: request.event,
    repository: `${repo.owner.login}/${repo.name}`,
    repository_owner: repo.owner.login,
    actor: request.actor.login,
    event: { ...request.eventPayload, inputs },
  };
  const context = { inputs, github };
  const at = now();
  const workflowId = ctx.state.workflowId(repo, file);
  return {
    id: ctx.state.id(),
    repo,
    workflowFile: file,
    workflowId,
    workflowName: workflow.name,
    runNumber: ctx.state.runs.filter((r) => r.workflowId === workflowId).length + 1,
    displayTitle: workflow.runName
      ? renderTemplate(workflow.runName, context)
      : (request.defaultTitle ?? workflow.name),
    event: request.event,
    ...(request.eventPayload ? { eventPayload: request.eventPayload } : {}),
    jobs: expandMatrix(workflow.matrix, context),
    headBranch: request.branch,
    headSha: request.sha,
    status: "queued",
    conclusion: null,
    actor: request.actor,
    inputs,
    createdAt: at,
    updatedAt: at,
    runStartedAt: at,
    runnerName: null,
    statusHistory: ["queued"],
    idTokenWrite: workflow.idTokenWrite,
    ...(workflow.concurrency
      ? {
          concurrency: {
            group: renderTemplate(workflow.concurrency.group, context),
            cancelInProgress: workflow.concurrency.cancelInProgress,
          },
        }
      : {}),
  };
}
