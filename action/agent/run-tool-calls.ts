/**
 * Step 3 of a turn: run the reply's tool calls, in order, in the sandbox. Every call gets an
 * answer in the conversation: its observation (capped, with a note when it repeats a failure), or
 * "Not run" when `finish` came first or the budget refuses it. A call that touches a file under a
 * nested AGENTS.md brings those rules along.
 */
import type { ToolCall } from "../chat/types.ts";
import { executeToolCall, type ToolCallResult } from "../tools/registry.ts";
import type { AgentRun, Stop } from "./agent-run.ts";
import { capForAudit } from "./audit-log.ts";
import { capObservation } from "./observation.ts";
import type { Session } from "./start-session.ts";

export const FINISH_CAME_FIRST = "Not run: finish was called earlier in this reply.";
const PATH_TOOLS = new Set(["read_file", "edit_file", "write_file"]);

export interface CallsDone {
  /** Messages for the model that the calls brought along (nested rules). */
  notes: string[];
  /** The model's summary, when one of the calls was `finish`. */
  finishSummary?: string;
  /** A tool error that ends the task; the calls after it were not run. */
  fatal?: Stop;
}

/** The file a path tool was pointed at, when it names one. */
export function touchedPath(name: string, rawArguments: string): string | undefined {
  if (!PATH_TOOLS.has(name)) return undefined;
  try {
    const path = (JSON.parse(rawArguments) as { path?: unknown }).path;
    return typeof path === "string" ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function runToolCalls(
  run: AgentRun,
  session: Session,
  turn: number,
  calls: ToolCall[],
): Promise<CallsDone> {
  const done: CallsDone = { notes: [] };
  for (const [index, call] of calls.entries()) {
    const notRun =
      done.finishSummary !== undefined ? FINISH_CAME_FIRST : run.budget.refuseCall(index, calls.length);
    if (notRun) {
      session.conversation.append(
        { role: "tool", toolCallId: call.id, name: call.name, content: notRun },
        turn,
      );
      run.audit.write({ type: "tool_call_not_run", turn, id: call.id, name: call.name, reason: notRun });
      continue;
    }
    const result = await runCall(run, session, turn, call);
    if (!result.ok && result.kind === "fatal") {
      const reason = `The ${call.name} tool hit an error that ends the task: ${result.output}`;
      return { ...done, fatal: { outcome: "failed", reason } };
    }
    const path = result.ok ? touchedPath(call.name, call.arguments) : undefined;
    const rules = path ? await session.nestedRules(path) : undefined;
    if (rules)
      done.notes.push(`Rules from ${rules.path} apply to files under that directory:\n\n${rules.content}`);
    if (result.ok && result.finish) done.finishSummary = result.finish.summary;
  }
  return done;
}

/** Runs one call and puts what it returned in the conversation, the audit log and the progress. */
async function runCall(
  run: AgentRun,
  session: Session,
  turn: number,
  call: ToolCall,
): Promise<ToolCallResult> {
  run.progress({ phase: "turn", turn, maxTurns: run.options.limits.turns, step: call.name });
  const started = performance.now();
  const result = await executeToolCall(call, session.tools, {
    sandbox: run.options.sandbox,
    reviewComments: run.reviewComments,
    // Never more than what is left: a call started just before the deadline ends at it.
    maxCommandMs: run.budget.remainingMs(),
  });
  const repeatNote = session.stuck.recordCall(call, result.ok, result.output);
  const observation = capObservation(
    repeatNote ? `${result.output}\n${repeatNote}` : result.output,
    run.options.tuning?.observationMaxChars,
  );
  session.conversation.append(
    { role: "tool", toolCallId: call.id, name: call.name, content: observation },
    turn,
    result.label,
  );
  const durationMs = Math.round(performance.now() - started);
  const shown = { arguments: capForAudit(call.arguments), ok: result.ok };
  run.audit.write({
    type: "tool_call",
    turn,
    id: call.id,
    name: call.name,
    ...shown,
    ...(result.ok ? {} : { kind: result.kind }),
    result: capForAudit(observation),
    durationMs,
  });
  run.progress({
    phase: "tool",
    turn,
    name: call.name,
    ...shown,
    output: capForAudit(observation),
    durationMs,
  });
  return result;
}
