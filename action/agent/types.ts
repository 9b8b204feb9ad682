/** The contract between the agent loop (action/agent) and the action that wraps it with GitHub. */
import type { TaskKind } from "../../core/task.ts";
import type { McpServerEvent, McpToolset } from "../mcp/open-mcp-servers.ts";
import type { ModelSettings } from "../model/types.ts";
import type { NetworkMode, Sandbox } from "../sandbox/types.ts";
import type { ReviewComment } from "../tools/types.ts";

/** What the model is asked to do, frozen at trigger time and already sanitised. */
export interface AgentTaskText {
  kind: TaskKind;
  title: string;
  /** Issue or PR body plus the thread's comments, rendered as text. */
  body: string;
  /** Extra instructions from the command (`/agent fix <text>`) or the automation. */
  instructions?: string;
  /** An automation with output `issue`: read-only, reports findings (`report_finding`), nothing verified. */
  reportsFindings?: boolean;
}

export interface AgentLimits {
  turns: number;
  tokens: number;
  minutes: number;
  /** Tool calls one reply may run; the rest are answered "Not run". Default `DEFAULT_CALLS_PER_TURN`. */
  callsPerTurn?: number;
  /** The runner's cost cap per task (max-task-cost), checked against the model's price beside tokens. */
  maxCost?: number;
}

export interface AgentCommands {
  setup: string[];
  /** Resolved test command (config, else rule file, else manifest); undefined when none is known. */
  test?: string;
  lint?: string;
}

export type AgentProgress =
  | { phase: "setup"; command: string }
  /** Sent when a turn starts, and again with `step` (the tool being run) for each call in it. */
  | { phase: "turn"; turn: number; maxTurns: number; step?: string }
  /** The model's reply is streaming in: characters so far (throttled). */
  | { phase: "writing"; turn: number; maxTurns: number; chars: number }
  | { phase: "verifying"; command: string }
  /** A tool call ran: what it was asked and what came back (the observation the model saw). */
  | {
      phase: "tool";
      turn: number;
      name: string;
      arguments: string;
      ok: boolean;
      output: string;
      durationMs: number;
    }
  | { phase: "done"; outcome: AgentOutcome };

export type AgentOutcome = "finished" | "budget" | "stuck" | "failed";

export interface Verification {
  command: string;
  passed: boolean;
  exitCode: number;
  /** Last part of the test output, capped. */
  outputTail: string;
}

export interface AgentRunOptions {
  sandbox: Sandbox;
  model: ModelSettings;
  task: AgentTaskText;
  commands: AgentCommands;
  limits: AgentLimits;
  /** Every secret this run knows, redacted from the audit log and anything else written. */
  secrets: string[];
  /** JSON-lines audit log on the runner's disk. */
  auditPath?: string;
  onProgress?: (event: AgentProgress) => void;
  signal?: AbortSignal;
  /** Network profile per phase: setup commands under `setup`, the turns under `agent`. */
  network?: { setup: NetworkMode; agent: NetworkMode };
  /** Loop internals for tests and benchmarks; the defaults suit production. */
  tuning?: AgentLoopTuning;
  /** Starts the task's MCP servers once the agent's network profile is on; closed at the end. */
  openMcp?: (onEvent: (event: McpServerEvent) => void) => Promise<McpToolset>;
}

export interface AgentLoopTuning {
  /** Turns between observation-mask events; 0 turns masking off. */
  maskEvery?: number;
  keepRecentTurns?: number;
  minCharsToMask?: number;
  observationMaxChars?: number;
  /** Identical call+result repeats in a row that end the run as `stuck`. */
  stuckAfterRepeats?: number;
  retryBaseDelayMs?: number;
}

export interface AgentResult {
  outcome: AgentOutcome;
  /** Why the loop ended, in one sentence a person can act on. */
  reason: string;
  /** The model's summary from `finish`, for the PR body. */
  summary?: string;
  verification?: Verification;
  /** A review's inline comments, or an issue automation's findings (`report_finding`). */
  reviewComments: ReviewComment[];
  turns: number;
  tokens: { prompt: number; completion: number; total: number; estimated: boolean };
  durationMs: number;
}
