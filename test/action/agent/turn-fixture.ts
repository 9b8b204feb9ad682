/**
 * One run of the loop, opened and set up for real over a sandbox held in memory, for the unit tests
 * of a turn's steps: the audit log and the progress are recorded, and every command the sandbox
 * was asked to run is kept. No model server: the steps under test never reach one, and a test that
 * needs a model swaps `run.client`.
 */
import { type AgentRun, openRun } from "../../../action/agent/agent-run.ts";
import type { AuditEvent } from "../../../action/agent/audit-log.ts";
import { type Session, startSession } from "../../../action/agent/start-session.ts";
import type { AgentProgress, AgentRunOptions } from "../../../action/agent/types.ts";
import type { ModelReply } from "../../../action/model/types.ts";
import { createMemorySandbox } from "../../helpers/memory-sandbox.ts";

export interface TurnFixture {
  run: AgentRun;
  session: Session;
  audit: AuditEvent[];
  progress: AgentProgress[];
  /** Commands the sandbox was asked to run, in order (setup and listing included). */
  commands: string[];
}

type Answer = (command: string) => { exitCode?: number; stdout?: string; stderr?: string };

export async function openTurnFixture(
  options: {
    files?: Record<string, string>;
    answer?: Answer;
    task?: Partial<AgentRunOptions["task"]>;
    commands?: Partial<AgentRunOptions["commands"]>;
    limits?: Partial<AgentRunOptions["limits"]>;
    tuning?: AgentRunOptions["tuning"];
    signal?: AbortSignal;
  } = {},
): Promise<TurnFixture> {
  const commands: string[] = [];
  const sandbox = createMemorySandbox(options.files ?? {}, (command) => {
    commands.push(command);
    return options.answer?.(command) ?? {};
  });
  const progress: AgentProgress[] = [];
  const run = openRun({
    sandbox,
    // A window from the profile: nothing is asked of a server.
    model: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "", model: "unused", contextWindow: 1_000_000 },
    task: { kind: "fix-issue", title: "t", body: "b", ...options.task },
    commands: { setup: [], test: "npm test", ...options.commands },
    limits: { turns: 10, tokens: 100_000, minutes: 5, ...options.limits },
    secrets: [],
    onProgress: (event) => progress.push(event),
    tuning: options.tuning,
    signal: options.signal,
  });
  const audit: AuditEvent[] = [];
  run.audit = { write: (event) => audit.push(event) };
  const session = await startSession(run, [], undefined);
  return { run, session, audit, progress, commands };
}

/** A reply as the model client returns it, with the given calls and text. */
export function replyWith(fields: Partial<ModelReply> = {}): ModelReply {
  return {
    content: "",
    reasoning: "",
    toolCalls: [],
    protocolErrors: [],
    usage: { prompt: 100, completion: 20, total: 120, estimated: false },
    latencyMs: 5,
    requestChars: 400,
    mode: "native",
    finishReason: "tool_calls",
    attempts: 1,
    streamed: true,
    capped: false,
    ...fields,
  };
}

export function call(id: string, name: string, args: Record<string, unknown>) {
  return { id, name, arguments: JSON.stringify(args) };
}
