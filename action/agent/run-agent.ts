/**
 * The agent loop: plan → act → verify. Model calls go to the configured endpoint, every tool runs
 * in the sandbox, and the loop (not the model) decides when the work is done: `finish` is accepted
 * only when the repository's test command passes. Budgets are enforced here, outside the model.
 *
 * A run is setup, then turns until one of them says stop. A turn is four steps, one file each:
 * ask the model (ask-model.ts), account for the reply (account-reply.ts), run its tool calls
 * (run-tool-calls.ts), decide whether to stop (decide-stop.ts).
 */
import type { McpToolset } from "../mcp/open-mcp-servers.ts";
import { accountReply } from "./account-reply.ts";
import { type AgentRun, endRun, openRun, type Stop, stopKeepingWork } from "./agent-run.ts";
import { askModel } from "./ask-model.ts";
import { checkBeforeBudgetStop, decideStop } from "./decide-stop.ts";
import { runToolCalls } from "./run-tool-calls.ts";
import { runSetup, type Session, startSession } from "./start-session.ts";
import type { AgentResult, AgentRunOptions } from "./types.ts";

export async function runAgent(options: AgentRunOptions): Promise<AgentResult> {
  const run = openRun(options);
  let mcp: McpToolset | undefined;
  try {
    const setupFailures = await runSetup(run);
    // MCP servers start under the agent's network profile, after setup installed what they need.
    mcp = await options.openMcp?.((event) => run.audit.write(event));
    const session = await startSession(run, setupFailures, mcp);
    let stop: Stop | undefined;
    while (!stop) stop = await takeTurn(run, session);
    await checkBeforeBudgetStop(run, session, stop);
    return endRun(run, stop);
  } catch (error) {
    return endRun(run, {
      outcome: "failed",
      reason: `The run stopped on an unexpected error: ${(error as Error).message}`,
    });
  } finally {
    await mcp?.close();
  }
}

/** One turn; answers why the run stops, or undefined to take another. */
async function takeTurn(run: AgentRun, session: Session): Promise<Stop | undefined> {
  const over = run.budget.exceeded(run.turns, run.usage.total, run.usage);
  if (over) return stopKeepingWork("budget", over);
  const turn = ++run.turns;
  run.progress({ phase: "turn", turn, maxTurns: run.options.limits.turns });

  const asked = await askModel(run, session, turn);
  if ("stop" in asked) return asked.stop;
  const { reply } = asked;
  const spent = accountReply(run, turn, reply, asked.messagesSent);
  if (spent) return spent;
  session.conversation.append(
    { role: "assistant", content: reply.content, toolCalls: reply.toolCalls, reasoning: reply.reasoning },
    turn,
  );

  const calls = await runToolCalls(run, session, turn, reply.toolCalls);
  if (calls.fatal) return calls.fatal;
  return await decideStop(run, session, turn, reply, calls);
}
