/**
 * Before the first turn: the setup commands under the setup network, then everything the turns
 * work with (tools, rule files, the test command, the context window, the conversation).
 */
import type { ToolSpec } from "../chat/types.ts";
import type { McpToolset } from "../mcp/open-mcp-servers.ts";
import { discoverContextWindow } from "../model/context-window.ts";
import { toolSpecs, toolsForTask } from "../tools/registry.ts";
import type { Tool } from "../tools/types.ts";
import type { AgentRun } from "./agent-run.ts";
import { Conversation, DEFAULT_MASKING } from "./conversation.ts";
import { enterNetworkPhase } from "./network-phase.ts";
import { createNestedRules, listNestedAgentsFiles, loadRootRuleFiles } from "./rule-files.ts";
import { runSetupCommands } from "./setup-commands.ts";
import { createStuckDetector, type StuckDetector } from "./stuck-detector.ts";
import { buildSystemPrompt, buildTaskMessage } from "./system-prompt.ts";
import { resolveTestCommand } from "./test-command.ts";
import type { AgentRunOptions } from "./types.ts";

/** What the turns work with, settled once before the first. */
export interface Session {
  tools: Tool[];
  specs: ToolSpec[];
  /** Characters of the serialised specs: sent with every request, counted against the window. */
  specsChars: number;
  testCommand?: string;
  /** Reviews and findings change nothing, so there is nothing for the tests to verify. */
  readOnly: boolean;
  contextWindow?: number;
  conversation: Conversation;
  stuck: StuckDetector;
  /** The nested AGENTS.md for a path the model touched, the first time only. */
  nestedRules: ReturnType<typeof createNestedRules>;
}

/** Runs the setup commands under the setup network, then moves the sandbox to the agent's. */
export async function runSetup(run: AgentRun): Promise<string[]> {
  const { sandbox, network, commands } = run.options;
  await enterNetworkPhase(sandbox, network, "setup");
  const failures = await runSetupCommands(
    sandbox,
    commands.setup,
    run.audit,
    run.progress,
    run.budget.remainingMs,
  );
  await enterNetworkPhase(sandbox, network, "agent");
  return failures;
}

/** The window the profile sets, else the one the server reports (vLLM, llama.cpp, Ollama's num_ctx). */
async function resolveContextWindow(model: AgentRunOptions["model"]) {
  if (model.contextWindow) return { tokens: model.contextWindow, source: "profile" };
  const found = await discoverContextWindow(model);
  return { tokens: found.tokens, source: found.source ?? "unknown" };
}

export async function startSession(
  run: AgentRun,
  setupFailures: string[],
  mcp: McpToolset | undefined,
): Promise<Session> {
  const { sandbox, task, model, commands } = run.options;
  const tuning = run.options.tuning ?? {};
  const tools = [...toolsForTask(task), ...(mcp?.tools ?? [])];
  const specs = toolSpecs(tools);
  const ruleFiles = await loadRootRuleFiles(sandbox);
  const nestedRules = createNestedRules(sandbox, await listNestedAgentsFiles(sandbox));
  const testCommand = await resolveTestCommand(sandbox, { configured: commands.test, ruleFiles });
  const contextWindow = await resolveContextWindow(model);
  run.audit.write({
    type: "start",
    task: task.title,
    kind: task.kind,
    model: model.model,
    baseUrl: model.baseUrl,
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
  return {
    tools,
    specs,
    specsChars: JSON.stringify(specs).length,
    testCommand,
    readOnly: task.kind === "review" || task.reportsFindings === true,
    contextWindow: contextWindow.tokens,
    conversation,
    stuck: createStuckDetector(tuning.stuckAfterRepeats),
    nestedRules,
  };
}
