import type { Context, Logger } from "probot";
import type { Metrics } from "./metrics.ts";

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
