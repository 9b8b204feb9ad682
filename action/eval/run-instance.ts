/**
 * One instance, one model profile: the repository at the base commit in a fresh sandbox, the agent
 * on the issue text with the normal loop and budgets, then (only after the agent's turn) the
 * held-out tests written in and run. Resolved: every FAIL_TO_PASS test passes and every
 * PASS_TO_PASS test still does.
 */
import { costOf } from "../../core/cost.ts";
import { runAgent } from "../agent/run-agent.ts";
import type { AgentLimits, AgentResult } from "../agent/types.ts";
import type { ModelSettings } from "../model/types.ts";
import { openDaySandbox } from "./day-sandbox.ts";
import { runTests, writeHeldOutTests } from "./held-out-tests.ts";
import type { EvalInstance } from "./instance.ts";
import { evalTaskText } from "./issue-text.ts";
import type { InstanceResult } from "./result.ts";

export interface Profile {
  name: string;
  settings: ModelSettings;
}

export interface RunInstanceOptions {
  repo: string;
  image: string;
  /** Caps over the repository's own limits (the runner's caps, or CLI flags). */
  limits?: Partial<AgentLimits>;
  testTimeoutMs: number;
  auditPath?: string;
  signal?: AbortSignal;
}

function capped(config: AgentLimits, caps: Partial<AgentLimits> = {}): AgentLimits {
  const min = (a: number, b?: number) => (b === undefined ? a : Math.min(a, b));
  return {
    turns: min(config.turns, caps.turns),
    tokens: min(config.tokens, caps.tokens),
    minutes: min(config.minutes, caps.minutes),
    callsPerTurn: min(config.callsPerTurn ?? 20, caps.callsPerTurn),
    ...(caps.maxCost !== undefined ? { maxCost: caps.maxCost } : {}),
  };
}

function graded(instance: EvalInstance, profile: Profile, agent: AgentResult, results: Map<string, string>) {
  const failing = instance.failToPass.filter((name) => results.get(name) !== "pass");
  const broken = instance.passToPass.filter((name) => results.get(name) !== "pass");
  return {
    resolved: failing.length === 0 && broken.length === 0,
    failToPass: {
      passed: instance.failToPass.length - failing.length,
      total: instance.failToPass.length,
      failing,
    },
    passToPass: {
      passed: instance.passToPass.length - broken.length,
      total: instance.passToPass.length,
      broken,
    },
    cost: profile.settings.price ? costOf(agent.tokens, profile.settings.price) : null,
  };
}

export async function runInstance(
  instance: EvalInstance,
  profile: Profile,
  options: RunInstanceOptions,
): Promise<InstanceResult> {
  const startedAt = Date.now();
  const day = await openDaySandbox({
    repo: options.repo,
    commit: instance.baseCommit,
    image: options.image,
    taskId: `eval-${profile.name}-${instance.issue}`.slice(0, 64),
  });
  try {
    const { sandbox, config } = day;
    const agent = await runAgent({
      sandbox,
      model: profile.settings,
      task: evalTaskText(instance.repository, instance.issue, instance.thread, instance.openedAt),
      commands: {
        setup: config.commands.setup,
        test: config.commands.test ?? instance.testCommand,
        lint: config.commands.lint,
      },
      limits: capped(config.limits, options.limits),
      network: config.sandbox.network,
      secrets: [profile.settings.apiKey, ...Object.values(profile.settings.headers ?? {})].filter(Boolean),
      auditPath: options.auditPath,
      signal: options.signal,
    });
    // The agent's turn is over: from here on nothing goes back to the model.
    const patch = await sandbox.diff();
    await writeHeldOutTests(sandbox, instance.testFiles);
    const run = await runTests(sandbox, instance.testCommand, options.testTimeoutMs);
    return {
      instance: instance.id,
      profile: profile.name,
      model: profile.settings.model,
      status: "graded",
      ...graded(instance, profile, agent, run.results),
      outcome: agent.outcome,
      reason: agent.reason,
      tokens: { prompt: agent.tokens.prompt, completion: agent.tokens.completion, total: agent.tokens.total },
      turns: agent.turns,
      durationMs: Date.now() - startedAt,
      agentMs: agent.durationMs,
      patchBytes: Buffer.byteLength(patch),
      finishedAt: new Date().toISOString(),
    };
  } finally {
    await day.dispose();
  }
}

/** A harness failure (sandbox, endpoint down): recorded, counted unresolved, run again on resume. */
export function errorResult(
  instance: EvalInstance,
  profile: Profile,
  error: unknown,
  startedAt: number,
): InstanceResult {
  return {
    instance: instance.id,
    profile: profile.name,
    model: profile.settings.model,
    status: "error",
    resolved: false,
    outcome: "error",
    reason: error instanceof Error ? error.message : String(error),
    failToPass: { passed: 0, total: instance.failToPass.length, failing: instance.failToPass },
    passToPass: { passed: 0, total: instance.passToPass.length, broken: [] },
    tokens: { prompt: 0, completion: 0, total: 0 },
    turns: 0,
    durationMs: Date.now() - startedAt,
    agentMs: 0,
    cost: null,
    patchBytes: 0,
    finishedAt: new Date().toISOString(),
  };
}
