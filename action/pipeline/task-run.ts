import type { AgentResult } from "../agent/types.ts";
import type { Sandbox } from "../sandbox/types.ts";
import type { PhaseClock } from "../summary/phases.ts";

/** The phases a task goes through, in order; the clock and the run history name them so. */
export type PhaseName =
  | "provisioning"
  | "preparing the workspace"
  | "starting the sandbox"
  | "working"
  | "verifying"
  | "publishing";

/**
 * What the phases of one task share, whichever adapter runs them: the action on GitHub
 * (`action/execute-task.ts`) or the CLI on a local repository (`local/run-local-task.ts`). The
 * phases fill it in as they go; `releaseRun` frees what they left.
 */
export interface TaskRun {
  readonly clock: PhaseClock;
  /** Starts a phase on the clock and tells the requester (the status comment, the terminal). */
  enter(phase: PhaseName, detail?: string): void;
  /** Every text the run writes out passes through it; it changes as the run learns new secrets. */
  redact(text: string): string;
  warn(message: string): void;
  /** Aborted when the run is cancelled: the loop stops and nothing is published. */
  signal?: AbortSignal;
  /** Holds the task's clone; removed at the end. */
  workRoot?: string;
  sandbox?: Sandbox;
  result?: AgentResult;
}
