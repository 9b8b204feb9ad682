/**
 * The agent loop: plan → act → verify. Model calls go to the configured endpoint, every tool runs
 * in the sandbox, and the loop (not the model) decides when the work is done: `finish` is accepted
 * only when the repository's test command passes. Budgets are enforced here, outside the model.
 */

import type { McpToolset } from "../mcp/open-mcp-servers.ts";
import { createModelClient } from "../model/client.ts";
import { discoverContextWindow } from "../model/context-window.ts";
import { formatReminder } from "../model/text-tools.ts";
import type { ModelReply, TokenUsage } from "../model/types.ts";
import { addUsage, estimateTokens, ZERO_USAGE } from "../model/usage.ts";
import { executeToolCall, toolSpecs, toolsForTask } from "../tools/registry.ts";
import { type AuditLog, capForAudit, openAuditLog } from "./audit-log.ts";
import { type Budget, createBudget } from "./budget.ts";
import { Conversation, DEFAULT_MASKING } from "./conversation.ts";
import { enterNetworkPhase } from "./network-phase.ts";
import { capObservation } from "./observation.ts";
import { createNestedRules, listNestedAgentsFiles, loadRootRuleFiles } from "./rule-files.ts";
import { runSetupCommands } from "./setup-commands.ts";
import { createStuckDetector } from "./stuck-detector.ts";
import { buildSystemPrompt, buildTaskMessage } from "./system-prompt.ts";
import { resolveTestCommand } from "./test-command.ts";
import type { AgentOutcome, AgentResult, AgentRunOptions, ReviewComment, Verification } from "./types.ts";
import { runVerification, verificationFeedback } from "./verify.ts";
import { writingReporter } from "./writing-progress.ts";

const NO_TOOL_NUDGE =
  "You did not call a tool. Continue with a tool call, or call finish with a summary when the task is done.";
/** Reasoning kept per reply in the audit log; the model's thoughts can run to many thousand characters. */
const AUDIT_REASONING_MAX_CHARS = 16_000;
const PATH_TOOLS = new Set(["read_file", "edit_file", "write_file"]);

interface RunState {
  turns: number;
  usage: TokenUsage;
  reviewComments: ReviewComment[];
  summary?: string;
  verification?: Verification;
}

function touchedPath(name: string, rawArguments: string): string | undefined {
  if (!PATH_TOOLS.has(name)) return undefined;
  try {
    const path = (JSON.parse(rawArguments) as { path?: unknown }).path;
    return typeof path === "string" ? path : undefined;
  } catch {
    return undefined;
  }
}

/** Share of the model's context window the prompt may fill, leaving room for the reply. */
const CONTEXT_FILL_LIMIT = 0.7;

/** The request for `turn`, with an extra mask event first when it would overflow the context window. */
function fitToContext(
  conversation: Conversation,
  turn: number,
  contextWindow: number | undefined,
  specsChars: number,
  audit: AuditLog,
) {
  if (!contextWindow) return conversation.render(turn);
  const limit = contextWindow * CONTEXT_FILL_LIMIT;
  const before = estimateTokens(conversation.renderedChars(turn) + specsChars);
  if (before <= limit) return conversation.render(turn);
  // Keep the last turn's results: they are what the model is about to act on.
  conversation.maskThrough(turn - 2);
  const after = estimateTokens(conversation.renderedChars(turn) + specsChars);
  audit.write({
    type: "context_mask",
    turn,
    estimatedTokensBefore: before,
    estimatedTokensAfter: after,
    contextWindow,
  });
  return conversation.render(turn);
}

/** The window the profile sets, else the one the server reports (vLLM, llama.cpp, Ollama's num_ctx). */
async function resolveContextWindow(model: AgentRunOptions["model"]) {
  if (model.contextWindow) return { tokens: model.contextWindow, source: "profile" };
  const found = await discoverContextWindow(model);
  return { tokens: found.tokens, source: found.source ?? "unknown" };
}

function promptChars(messages: Array<{ content: string }>): number {
  return messages.reduce((sum, message) => sum + message.content.length, 0);
}

/** Tokens the next reply may use before the run's token budget is spent (the reply is stopped mid-stream there). */
function replyTokensLeft(limit: number, used: number, promptChars: number): number {
  return Math.max(1, limit - used - estimateTokens(promptChars));
}

function auditReply(audit: AuditLog, turn: number, messages: number, reply: ModelReply): void {
  audit.write({
    type: "model_request",
    turn,
    mode: reply.mode,
    messages,
    requestChars: reply.requestChars,
    promptTokens: reply.usage.prompt,
    completionTokens: reply.usage.completion,
    estimated: reply.usage.estimated,
    latencyMs: Math.round(reply.latencyMs),
    attempts: reply.attempts,
    finishReason: reply.finishReason,
    streamed: reply.streamed,
    capped: reply.capped,
    // Reasoning is kept here and nowhere else: never parsed for calls, shown, or sent back.
    ...(reply.reasoning ? { reasoning: reply.reasoning.slice(0, AUDIT_REASONING_MAX_CHARS) } : {}),
  });
}

export async function runAgent(options: AgentRunOptions): Promise<AgentResult> {
  const startedAt = Date.now();
  const { sandbox, task } = options;
  const tuning = options.tuning ?? {};
  const progress = options.onProgress ?? (() => {});
  const audit: AuditLog = openAuditLog(options.auditPath, options.secrets);
  const budget: Budget = createBudget(options.limits, startedAt, options.signal, options.model.price);
  const state: RunState = { turns: 0, usage: ZERO_USAGE, reviewComments: [] };
  const client = createModelClient(options.model, {
    retryBaseDelayMs: tuning.retryBaseDelayMs,
    onRetry: ({ attempt, delayMs, error }) =>
      audit.write({
        type: "model_retry",
        attempt,
        delayMs,
        error: error instanceof Error ? error.message : String(error),
      }),
    onModeChange: (mode, reason) => audit.write({ type: "mode_change", mode, reason }),
  });
  let tools = toolsForTask(task);
  // Reviews and findings change nothing, so there is nothing for the tests to verify.
  const readOnly = task.kind === "review" || task.reportsFindings === true;
  let specs = toolSpecs(tools);
  let specsChars = JSON.stringify(specs).length;
  let mcp: McpToolset | undefined;
  let testCommand: string | undefined;

  const end = (outcome: AgentOutcome, reason: string): AgentResult => {
    budget.dispose();
    const durationMs = Date.now() - startedAt;
    audit.write({
      type: "end",
      outcome,
      reason,
      turns: state.turns,
      totalTokens: state.usage.total,
      durationMs,
    });
    progress({ phase: "done", outcome });
    return {
      outcome,
      reason,
      summary: state.summary,
      verification: state.verification,
      reviewComments: state.reviewComments,
      turns: state.turns,
      tokens: { ...state.usage },
      durationMs,
    };
  };

  const verify = async (command: string): Promise<Verification> => {
    progress({ phase: "verifying", command });
    const verification = await runVerification(sandbox, command, budget.remainingMs());
    audit.write({ type: "verification", ...verification });
    state.verification = verification;
    return verification;
  };

  /** Work so far is kept; when time allows, the tests run once more so the result says where it stands. */
  const endOnBudget = async (reason: string): Promise<AgentResult> => {
    const canVerify = testCommand && !readOnly && !budget.signal.aborted && budget.remainingMs() > 5_000;
    if (canVerify) await verify(testCommand!);
    return end("budget", `Stopped: ${reason}; the changes made so far are kept.`);
  };

  try {
    await enterNetworkPhase(sandbox, options.network, "setup");
    const setupFailures = await runSetupCommands(
      sandbox,
      options.commands.setup,
      audit,
      progress,
      budget.remainingMs,
    );
    await enterNetworkPhase(sandbox, options.network, "agent");
    // MCP servers start under the agent's network profile, after setup installed what they need.
    mcp = await options.openMcp?.((event) => audit.write(event));
    if (mcp) {
      tools = [...tools, ...mcp.tools];
      specs = toolSpecs(tools);
      specsChars = JSON.stringify(specs).length;
    }
    const ruleFiles = await loadRootRuleFiles(sandbox);
    const nestedRules = createNestedRules(sandbox, await listNestedAgentsFiles(sandbox));
    testCommand = await resolveTestCommand(sandbox, { configured: options.commands.test, ruleFiles });
    const contextWindow = await resolveContextWindow(options.model);
    audit.write({
      type: "start",
      task: task.title,
      kind: task.kind,
      model: options.model.model,
      baseUrl: options.model.baseUrl,
      testCommand,
      contextWindow: contextWindow.tokens,
      contextWindowSource: contextWindow.source,
    });
    const parts = { task, ruleFiles, testCommand, tools, setupFailures, mcpProblems: mcp?.problems ?? [] };
    const conversation = new Conversation(buildSystemPrompt(parts), buildTaskMessage(parts), {
      maskEvery: tuning.maskEvery ?? DEFAULT_MASKING.maskEvery,
      keepRecentTurns: tuning.keepRecentTurns ?? DEFAULT_MASKING.keepRecentTurns,
      minCharsToMask: tuning.minCharsToMask ?? DEFAULT_MASKING.minCharsToMask,
    });
    const stuck = createStuckDetector(tuning.stuckAfterRepeats);

    for (;;) {
      const over = budget.exceeded(state.turns, state.usage.total, state.usage);
      if (over) return await endOnBudget(over);
      const turn = ++state.turns;
      progress({ phase: "turn", turn, maxTurns: options.limits.turns });

      const messages = fitToContext(conversation, turn, contextWindow.tokens, specsChars, audit);
      let reply: ModelReply;
      try {
        reply = await client.complete(messages, specs, budget.signal, {
          onText: writingReporter(progress, turn, options.limits.turns),
          maxReplyTokens: replyTokensLeft(
            options.limits.tokens,
            state.usage.total,
            promptChars(messages) + specsChars,
          ),
        });
      } catch (error) {
        if (budget.signal.aborted)
          return await endOnBudget(budget.exceeded(state.turns, 0) ?? "the run was cancelled");
        return end("failed", `The model call failed: ${(error as Error).message}`);
      }
      state.usage = addUsage(state.usage, reply.usage);
      auditReply(audit, turn, messages.length, reply);
      // A reply stopped mid-stream by the token budget: its calls are not run.
      const spent = reply.capped ? budget.exceeded(state.turns, state.usage.total) : undefined;
      if (spent) return await endOnBudget(spent);
      conversation.append(
        { role: "assistant", content: reply.content, toolCalls: reply.toolCalls, reasoning: reply.reasoning },
        turn,
      );

      let finishSummary: string | undefined;
      const notes: string[] = [...reply.protocolErrors];
      for (const [index, call] of reply.toolCalls.entries()) {
        const notRun =
          finishSummary !== undefined
            ? "Not run: finish was called earlier in this reply."
            : budget.refuseCall(index, reply.toolCalls.length);
        if (notRun) {
          conversation.append({ role: "tool", toolCallId: call.id, name: call.name, content: notRun }, turn);
          audit.write({ type: "tool_call_not_run", turn, id: call.id, name: call.name, reason: notRun });
          continue;
        }
        progress({ phase: "turn", turn, maxTurns: options.limits.turns, step: call.name });
        const callStarted = performance.now();
        const result = await executeToolCall(call, tools, {
          sandbox,
          reviewComments: state.reviewComments,
          // Never more than what is left: a call started just before the deadline ends at it.
          maxCommandMs: budget.remainingMs(),
        });
        const repeatNote = stuck.recordCall(call, result.ok, result.output);
        const observation = capObservation(
          repeatNote ? `${result.output}\n${repeatNote}` : result.output,
          tuning.observationMaxChars,
        );
        conversation.append(
          { role: "tool", toolCallId: call.id, name: call.name, content: observation },
          turn,
          result.label,
        );
        audit.write({
          type: "tool_call",
          turn,
          id: call.id,
          name: call.name,
          arguments: capForAudit(call.arguments),
          ok: result.ok,
          ...(result.ok ? {} : { kind: result.kind }),
          result: capForAudit(observation),
          durationMs: Math.round(performance.now() - callStarted),
        });
        progress({
          phase: "tool",
          turn,
          name: call.name,
          arguments: capForAudit(call.arguments),
          ok: result.ok,
          output: capForAudit(observation),
          durationMs: Math.round(performance.now() - callStarted),
        });
        if (!result.ok && result.kind === "fatal") {
          return end("failed", `The ${call.name} tool hit an error that ends the task: ${result.output}`);
        }
        const path = result.ok ? touchedPath(call.name, call.arguments) : undefined;
        const rules = path ? await nestedRules(path) : undefined;
        if (rules)
          notes.push(`Rules from ${rules.path} apply to files under that directory:\n\n${rules.content}`);
        if (result.ok && result.finish) finishSummary = result.finish.summary;
      }
      if (reply.toolCalls.length === 0 && reply.protocolErrors.length === 0) {
        const seen = stuck.recordReplyWithoutCalls();
        notes.push(seen === "remind" ? formatReminder(client.mode, specs) : NO_TOOL_NUDGE);
      }
      const stuckReason = stuck.stuckReason();
      if (stuckReason) return end("stuck", `Stopped: ${stuckReason}; the changes made so far are kept.`);

      if (finishSummary !== undefined) {
        state.summary = finishSummary;
        if (task.kind === "review") {
          return end("finished", `The review finished with ${state.reviewComments.length} inline comments.`);
        }
        if (readOnly) {
          return end("finished", `The automation finished with ${state.reviewComments.length} findings.`);
        }
        if (!testCommand)
          return end("finished", "The model finished; no test command is known, so nothing was verified.");
        const verification = await verify(testCommand);
        if (verification.passed) return end("finished", `The model finished and \`${testCommand}\` passed.`);
        notes.push(verificationFeedback(verification));
      }
      if (notes.length > 0) conversation.append({ role: "user", content: notes.join("\n\n") }, turn);
    }
  } catch (error) {
    return end("failed", `The run stopped on an unexpected error: ${(error as Error).message}`);
  } finally {
    await mcp?.close();
  }
}
