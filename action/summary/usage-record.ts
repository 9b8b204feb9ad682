import { costOf, type ModelPrice } from "../../core/cost.ts";
import type { UsageRecord } from "../../core/usage-record.ts";
import type { AgentResult } from "../agent/types.ts";
import type { EgressReport } from "../sandbox/egress/egress-log.ts";

export interface UsageInput {
  result?: AgentResult;
  /** How the task ended when the loop never reported (refused, cancelled, failed before the loop). */
  state: "succeeded" | "failed" | "refused" | "cancelled";
  phases: { name: string; ms: number }[];
  profile?: string;
  price?: ModelPrice;
  link?: string;
  prNumber?: number;
  egress?: EgressReport;
  runner?: string;
}

/** The compact record the final status marker carries into the App's run history. */
export function usageRecord(input: UsageInput): UsageRecord {
  const { result } = input;
  const tokens = { prompt: result?.tokens.prompt ?? 0, completion: result?.tokens.completion ?? 0 };
  const verification = result?.verification ? (result.verification.passed ? "passed" : "failed") : "not-run";
  const link = input.link && /^https?:\/\//.test(input.link) ? input.link.slice(0, 500) : undefined;
  return {
    outcome: result?.outcome ?? input.state,
    turns: result?.turns ?? 0,
    tokens,
    phases: input.phases.slice(0, 12).map((phase) => ({
      name: phase.name.slice(0, 60),
      seconds: Math.round(phase.ms / 100) / 10,
    })),
    verification,
    ...(link ? { link } : {}),
    ...(input.prNumber ? { pr: input.prNumber } : {}),
    ...(input.egress?.blocked.length
      ? { blocked: input.egress.blocked.slice(0, 20).map((b) => b.host.slice(0, 255)) }
      : {}),
    profile: (input.profile ?? "default").slice(0, 60),
    ...(input.price ? { cost: costOf(tokens, input.price) } : {}),
    ...(input.runner ? { runner: input.runner.slice(0, 100) } : {}),
  };
}
