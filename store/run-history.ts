import type { Kysely } from "kysely";
import type { UsageRecord } from "../core/usage-record.ts";
import type { Database, NewRun, RunSource, RunState, RunUpdate } from "./schema.ts";

export interface RepoName {
  owner: string;
  name: string;
}

/** The key of a task the App dispatched: its status comment, which is unique per repository. */
export function appTaskKey(repo: RepoName, statusCommentId: number): string {
  return `${repo.owner}/${repo.name}#c${statusCommentId}`;
}

/**
 * The key of one automations-workflow run acting on one repository: a central runner repository's
 * run may act on several targets, each its own record.
 */
export function automationRunKey(runRepo: string, runId: number, target: RepoName): string {
  return `automation:${runRepo}/runs/${runId}>${target.owner}/${target.name}`;
}

export interface DispatchInput {
  key: string;
  source: RunSource;
  repo: RepoName;
  number?: number;
  kind: string;
  automation?: string;
  actor: string;
  event?: string;
  delivery?: string;
  statusCommentId?: number;
  at: Date;
}

export interface WorkflowRunInput {
  id: number;
  repo: string;
  url?: string;
  conclusion?: string | null;
  queuedAt?: string | Date | null;
  startedAt?: string | Date | null;
  completedAt?: string | Date | null;
}

export interface OutcomeInput {
  state: Exclude<RunState, "queued">;
  reason?: string;
  usage?: UsageRecord;
  auditUrl?: string;
  /** When the task ended; defaults to now. */
  at?: Date;
}

const MAX_REASON = 2_000;

function usageColumns(usage: UsageRecord): RunUpdate {
  return {
    outcome: usage.outcome,
    turns: usage.turns,
    prompt_tokens: usage.tokens.prompt,
    completion_tokens: usage.tokens.completion,
    cost: usage.cost ?? null,
    phases: JSON.stringify(usage.phases),
    verification: usage.verification,
    link: usage.link ?? null,
    pr_number: usage.pr ?? null,
    ...(usage.pr ? { pr_state: "open" as const } : {}),
    blocked_hosts: JSON.stringify(usage.blocked ?? []),
    profile: usage.profile,
    duration_s: usage.phases.reduce((sum, phase) => sum + phase.seconds, 0),
    ...(usage.runner ? { runner: usage.runner } : {}),
  };
}

/**
 * The recording side of the run history: what the App, the CLI and automations write. Every call
 * is keyed by the task, so a redelivered webhook or a repeated report updates one row, never adds one.
 */
export class RunHistory {
  constructor(readonly db: Kysely<Database>) {}

  /** A task was dispatched (state queued), or refused before it started (state refused). */
  async recordDispatch(input: DispatchInput, state: "queued" | "refused" = "queued", reason?: string) {
    const row: NewRun = {
      task_key: input.key,
      source: input.source,
      repository: `${input.repo.owner}/${input.repo.name}`,
      owner: input.repo.owner,
      number: input.number ?? null,
      kind: input.kind,
      automation: input.automation ?? null,
      actor: input.actor,
      trigger_event: input.event ?? null,
      delivery: input.delivery ?? null,
      status_comment_id: input.statusCommentId ?? null,
      state,
      reason: reason?.slice(0, MAX_REASON) ?? null,
      dispatched_at: input.at,
    };
    await this.db
      .insertInto("runs")
      .values(row)
      .onConflict((c) => c.column("task_key").doNothing())
      .execute();
  }

  /** The workflow run GitHub ran for the task: ids, times and conclusion. */
  async recordWorkflowRun(key: string, run: WorkflowRunInput): Promise<boolean> {
    const result = await this.db
      .updateTable("runs")
      .set({
        workflow_run_id: run.id,
        workflow_run_repo: run.repo,
        workflow_run_url: run.url ?? null,
        audit_url: run.url ? `${run.url}#artifacts` : null,
        ...(run.conclusion !== undefined ? { conclusion: run.conclusion } : {}),
        ...(run.queuedAt ? { run_queued_at: run.queuedAt } : {}),
        ...(run.startedAt ? { started_at: run.startedAt } : {}),
        ...(run.completedAt ? { completed_at: run.completedAt } : {}),
      })
      .where("task_key", "=", key)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** The task started running (the action reported, or GitHub says the run is in progress). */
  async recordStarted(key: string, at: Date): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ state: "running", started_at: at })
      .where("task_key", "=", key)
      .where("state", "=", "queued")
      .execute();
  }

  /** Where the task ended and, when the action reported it, its usage record. */
  async recordOutcome(key: string, input: OutcomeInput): Promise<boolean> {
    const result = await this.db
      .updateTable("runs")
      .set({
        state: input.state,
        reason: input.reason?.slice(0, MAX_REASON) ?? null,
        completed_at: input.at ?? new Date(),
        ...(input.usage ? usageColumns(input.usage) : {}),
        ...(input.auditUrl ? { audit_url: input.auditUrl } : {}),
      })
      .where("task_key", "=", key)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /**
   * The automations-workflow run `runRepo`/`runId` completed: every record of it still open ends in
   * `state`. Returns the repositories of the records it ended (none on a redelivery).
   */
  async recordAutomationRunEnd(
    runRepo: string,
    run: WorkflowRunInput & { state: "succeeded" | "failed" | "cancelled"; reason?: string },
  ): Promise<string[]> {
    const ended = await this.db
      .updateTable("runs")
      .set({
        state: run.state,
        reason: run.reason?.slice(0, MAX_REASON) ?? null,
        conclusion: run.conclusion ?? null,
        completed_at: run.completedAt ?? new Date(),
      })
      .where("workflow_run_repo", "=", runRepo)
      .where("workflow_run_id", "=", run.id)
      .where("source", "=", "automation")
      .where("state", "in", ["queued", "running"])
      .returning("repository")
      .execute();
    return ended.map((row) => row.repository);
  }

  /** `pull_request.closed` of a PR an agent run opened: merged or closed unmerged. */
  async recordPullClosed(repo: RepoName, number: number, merged: boolean, at: Date): Promise<number> {
    const result = await this.db
      .updateTable("runs")
      .set({ pr_state: merged ? "merged" : "closed", pr_closed_at: at })
      .where("repository", "=", `${repo.owner}/${repo.name}`)
      .where("pr_number", "=", number)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** A run that is recorded whole once it ended: the local CLI with `--record`. */
  async recordFinishedRun(input: DispatchInput, outcome: OutcomeInput): Promise<void> {
    await this.recordDispatch(input);
    await this.recordOutcome(input.key, outcome);
  }
}
