import type { Kysely } from "kysely";
import type { UsageRecord } from "../../core/usage-record.ts";
import {
  appTaskKey,
  automationRunKey,
  type DispatchInput,
  type RepoName,
  RunHistory,
  type WorkflowRunInput,
} from "../../store/run-history.ts";
import type { Database } from "../../store/schema.ts";
import type { Metrics } from "./metrics.ts";

/** The run behind a granted automation token, as GitHub records it: what the run history keeps. */
export interface AutomationRun {
  id: number;
  /** `owner/name` where the run runs (a central runner repository, or the target itself). */
  repo: string;
  url: string;
  event: string;
  actor: string;
  /** The automation a manual dispatch names, when the target's config defines it; a schedule runs a list. */
  automation?: string;
  startedAt?: string;
}

export interface TaskRecord {
  repo: RepoName;
  number?: number;
  kind: string;
  automation?: string;
  actor: string;
  event: string;
  delivery: string;
  statusCommentId?: number;
  at: Date;
}

type Ended = "succeeded" | "failed" | "cancelled" | "refused";

/**
 * What the App records in the run history, and the metrics that follow from it. Recording never
 * decides a task: a database error is logged and the task goes on (budgets are the exception,
 * checked in `budgets.ts`, and they fail closed).
 */
export class RunRecorder {
  readonly history: RunHistory;

  constructor(
    db: Kysely<Database>,
    private readonly metrics: Metrics,
    private readonly log: { warn(details: object, message: string): void },
  ) {
    this.history = new RunHistory(db);
  }

  static key(repo: RepoName, statusCommentId: number): string {
    return appTaskKey(repo, statusCommentId);
  }

  dispatched(task: TaskRecord & { statusCommentId: number }): Promise<void> {
    return this.safely("dispatch", () =>
      this.history.recordDispatch(this.input(task, RunRecorder.key(task.repo, task.statusCommentId))),
    );
  }

  /** The workflow run a dispatch started, once GitHub named it. */
  workflowRun(repo: RepoName, statusCommentId: number, run: WorkflowRunInput): Promise<void> {
    return this.safely("workflow run", async () => {
      await this.history.recordWorkflowRun(RunRecorder.key(repo, statusCommentId), run);
    });
  }

  /** A task refused before a status comment existed (permission, budget): keyed by its delivery. */
  refused(task: TaskRecord, reason: string): Promise<void> {
    return this.safely("refusal", async () => {
      await this.history.recordDispatch(this.input(task, `delivery:${task.delivery}`), "refused", reason);
      this.metrics.runs.inc({
        repository: `${task.repo.owner}/${task.repo.name}`,
        profile: "",
        state: "refused",
      });
    });
  }

  /** The end of a task the App dispatched: from the final marker's usage record, or from what GitHub says. */
  ended(
    repo: RepoName,
    statusCommentId: number,
    state: Ended,
    details: { reason?: string; usage?: UsageRecord; run?: WorkflowRunInput } = {},
  ): Promise<void> {
    const key = RunRecorder.key(repo, statusCommentId);
    return this.safely("outcome", async () => {
      if (details.run) await this.history.recordWorkflowRun(key, details.run);
      await this.history.recordOutcome(key, { state, reason: details.reason, usage: details.usage });
      this.count(`${repo.owner}/${repo.name}`, state, details.usage);
    });
  }

  /**
   * A job of the automations workflow was granted its token: the run is recorded (running) for the
   * repository it acts on. No App dispatch is behind it, so its key is the run, not a status comment.
   */
  automationStarted(target: RepoName, run: AutomationRun, at: Date): Promise<void> {
    const key = automationRunKey(run.repo, run.id, target);
    return this.safely("automation run", async () => {
      await this.history.recordDispatch({
        key,
        source: "automation",
        repo: target,
        kind: "automation",
        ...(run.automation ? { automation: run.automation } : {}),
        actor: run.actor,
        event: run.event,
        at,
      });
      await this.history.recordWorkflowRun(key, { id: run.id, repo: run.repo, url: run.url });
      await this.history.recordStarted(key, run.startedAt ? new Date(run.startedAt) : at);
    });
  }

  /** `workflow_run.completed` of an automations-workflow run: its conclusion ends its records. */
  automationEnded(runRepo: string, run: WorkflowRunInput & { conclusion: string | null }): Promise<void> {
    const conclusion = run.conclusion ?? "unknown";
    const state =
      conclusion === "success" ? "succeeded" : conclusion === "cancelled" ? "cancelled" : "failed";
    return this.safely("automation outcome", async () => {
      const repositories = await this.history.recordAutomationRunEnd(runRepo, {
        ...run,
        state,
        ...(state === "failed" ? { reason: `the automations workflow run concluded ${conclusion}` } : {}),
      });
      for (const repository of repositories) this.count(repository, state);
    });
  }

  pullClosed(repo: RepoName, number: number, merged: boolean, at: Date): Promise<void> {
    return this.safely("pull request", async () => {
      const updated = await this.history.recordPullClosed(repo, number, merged, at);
      if (updated > 0)
        this.metrics.pulls.inc({
          repository: `${repo.owner}/${repo.name}`,
          result: merged ? "merged" : "closed",
        });
    });
  }

  private count(repository: string, state: Ended, usage?: UsageRecord): void {
    const profile = usage?.profile ?? "";
    this.metrics.runs.inc({ repository, profile, state });
    if (!usage) return;
    this.metrics.tokens.inc({ repository, profile, type: "prompt" }, usage.tokens.prompt);
    this.metrics.tokens.inc({ repository, profile, type: "completion" }, usage.tokens.completion);
    const seconds = usage.phases.reduce((sum, phase) => sum + phase.seconds, 0);
    this.metrics.runDuration.observe({ repository, profile }, seconds);
    if (usage.cost !== undefined) this.metrics.cost.inc({ repository, profile }, usage.cost);
  }

  private input(task: TaskRecord, key: string): DispatchInput {
    return {
      key,
      source: task.kind === "automation" ? "automation" : "app",
      repo: task.repo,
      ...(task.number !== undefined ? { number: task.number } : {}),
      kind: task.kind,
      ...(task.automation ? { automation: task.automation } : {}),
      actor: task.actor,
      event: task.event,
      delivery: task.delivery,
      ...(task.statusCommentId !== undefined ? { statusCommentId: task.statusCommentId } : {}),
      at: task.at,
    };
  }

  private async safely(what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.warn(
        { err: error },
        `could not record the ${what} in the run history; the task is not affected`,
      );
    }
  }
}
