import type { Context, Logger } from "probot";
import type { Metrics } from "./metrics.ts";
import type { RunRecorder } from "./run-recorder.ts";

export type GitHub = Context["octokit"];

/** What a handler needs besides its payload: one delivery's client, logger and identity. */
export interface Deps {
  octokit: GitHub;
  log: Logger;
  /** This App's id: comments made by it carry `performed_via_github_app.id`. */
  appId: number;
  metrics: Metrics;
  event: string;
  delivery: string;
  /** Clock for task timestamps; tests pin it. */
  now: () => Date;
  /** The run history; absent where the App runs without one (some unit tests). */
  recorder?: RunRecorder;
  /** The monthly money budget of a repository and its owner, when budgets are set. */
  checkBudget?: (repo: RepoRef) => Promise<BudgetCheck>;
  /** Answers in Slack when a task a slash command started ends; absent without Slack intake. */
  slackFollowUps?: SlackReplies;
  /** The App-wide default runner repository, for repositories whose config names none. */
  defaultRunnerRepo?: string;
}

/** What became of a delivery; the label of the deliveries metric. */
export type Outcome =
  | "dispatched"
  | "dispatch-failed"
  | "ignored"
  | "refused"
  | "duplicate"
  | "busy"
  | "answered"
  | "invalid-config"
  | "cancelled"
  | "closed"
  | "logged";

export interface RepoRef {
  owner: string;
  name: string;
}

/** A workflow run the App dispatched: its id, the repository it runs in (owner/name), its page. */
export interface RunRef {
  id: number;
  repo: string;
  url?: string;
}

/** A repository's and its owner's monthly money budget, checked before a task starts (budgets.ts). */
export type BudgetCheck = { ok: true } | { ok: false; message: string };

/** Where a Slack-started task's end is answered (intake/slack-follow-ups.ts). */
export interface SlackReplies {
  remember(repo: RepoRef, issueNumber: number, responseUrl: string, at: Date): Promise<void>;
  send(repo: RepoRef, issueNumber: number, text: string, now: Date): Promise<unknown>;
}
