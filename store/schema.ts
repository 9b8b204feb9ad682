import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** A timestamp column: written as a Date or ISO string, read as a Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A jsonb column: written as JSON text, read as the parsed value. */
type Json<T> = ColumnType<T, string, string>;

export const runSources = ["app", "automation", "cli"] as const;
export type RunSource = (typeof runSources)[number];

/** Where a recorded task ended, or where it stands while it runs. */
export const runStates = ["refused", "queued", "running", "succeeded", "failed", "cancelled"] as const;
export type RunState = (typeof runStates)[number];

export type PullState = "open" | "merged" | "closed";

export interface PhaseSeconds {
  name: string;
  seconds: number;
}

/** One task: its dispatch, its workflow run, and what came of it. */
export interface RunsTable {
  id: Generated<number>;
  /** Unique per task: `<owner>/<repo>#c<status comment id>` for the App, `cli:<uuid>` for the CLI. */
  task_key: string;
  source: RunSource;
  /** `owner/name`: what the dashboard filters and checks read access on. */
  repository: string;
  owner: string;
  number: number | null;
  kind: string;
  automation: string | null;
  actor: string;
  trigger_event: string | null;
  delivery: string | null;
  status_comment_id: number | null;
  state: RunState;
  /** A refusal's reason, or the terminal status line of a failed or cancelled run. */
  reason: string | null;
  dispatched_at: Timestamp;
  run_queued_at: Timestamp | null;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  workflow_run_id: number | null;
  workflow_run_repo: string | null;
  workflow_run_url: string | null;
  runner: string | null;
  conclusion: string | null;
  /** The agent loop's outcome: finished, budget, stuck, failed. */
  outcome: string | null;
  turns: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  /** Money, in the unit the runner's prices are given in (price per million tokens × tokens). */
  cost: number | null;
  phases: Json<PhaseSeconds[]> | null;
  verification: string | null;
  /** The PR, pushed commit or review the run published. */
  link: string | null;
  pr_number: number | null;
  pr_state: PullState | null;
  pr_closed_at: Timestamp | null;
  blocked_hosts: Json<string[]> | null;
  profile: string | null;
  /** Where the audit log lives (the workflow run's artifacts); never its content. */
  audit_url: string | null;
  duration_s: number | null;
}

/** Dashboard sign-ins. The cookie carries a signed id; the GitHub user token stays here, encrypted. */
export interface SessionsTable {
  id: string;
  login: string;
  token_sealed: string;
  /** `owner/name` list the user can read, as GitHub answered at `repos_checked_at`. */
  repositories: Json<string[]>;
  repos_checked_at: Timestamp;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/**
 * Weekly totals per repository and model profile (`''` for none), kept by triggers on `runs`
 * (migration 0004): what the repositories and models pages read. Refused runs never count.
 */
export interface RunWeeksTable {
  /** Monday (UTC) of the week the runs were dispatched in. */
  week: ColumnType<Date, never, never>;
  repository: string;
  profile: string;
  runs: ColumnType<number, never, never>;
  succeeded: ColumnType<number, never, never>;
  pulls: ColumnType<number, never, never>;
  merged: ColumnType<number, never, never>;
  tokens: ColumnType<number, never, never>;
  seconds: ColumnType<number, never, never>;
  cost: ColumnType<number, never, never>;
}

/** One model profile's result in one `inhouse eval` of a repository. */
export interface EvalResultsTable {
  id: Generated<number>;
  repository: string;
  profile: string;
  model: string;
  instances: number;
  resolved: number;
  /** The resolved rate's 95% Wilson interval. */
  ci_low: number;
  ci_high: number;
  tokens_per_instance: number;
  minutes_per_instance: number;
  /** Null when the profile has no price. */
  cost: number | null;
  /** The profile the eval found best for the repository. */
  best: boolean;
  evaluated_at: Timestamp;
}

/** A Slack slash command's `response_url`, kept for the follow-ups of the issue it opened. */
export interface SlackRepliesTable {
  id: Generated<number>;
  repository: string;
  issue_number: number;
  response_url: string;
  received_at: Timestamp;
  /** Follow-ups sent through it; Slack accepts five (app/intake/slack-response-url.ts). */
  uses: ColumnType<number, number | undefined, number>;
}

/** An OIDC token the App's token exchange has traded, remembered until it expires (replay guard). */
export interface OidcTokenUsesTable {
  jti: string;
  expires_at: Timestamp;
}

export interface Database {
  runs: RunsTable;
  sessions: SessionsTable;
  run_weeks: RunWeeksTable;
  eval_results: EvalResultsTable;
  slack_replies: SlackRepliesTable;
  oidc_token_uses: OidcTokenUsesTable;
}

export type RunRow = Selectable<RunsTable>;
export type NewRun = Insertable<RunsTable>;
export type RunUpdate = Updateable<RunsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type EvalResultRow = Selectable<EvalResultsTable>;
