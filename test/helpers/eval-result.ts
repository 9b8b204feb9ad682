import type { InstanceResult } from "../../action/eval/result.ts";

/**
 * One graded `inhouse eval` result: `profile` (its model `<profile>-model`) on `instance`, resolved
 * or not (its one FAIL_TO_PASS test passing or failing), PASS_TO_PASS 2/2 kept, 1,000 tokens, three
 * turns in a minute; `extra` overrides any field.
 */
export function gradedResult(
  profile: string,
  instance: string,
  resolved: boolean,
  extra: Partial<InstanceResult> = {},
): InstanceResult {
  return {
    instance,
    profile,
    model: `${profile}-model`,
    status: "graded",
    resolved,
    outcome: "finished",
    reason: "done",
    failToPass: { passed: resolved ? 1 : 0, total: 1, failing: resolved ? [] : ["t"] },
    passToPass: { passed: 2, total: 2, broken: [] },
    tokens: { prompt: 900, completion: 100, total: 1000 },
    turns: 3,
    durationMs: 60_000,
    agentMs: 50_000,
    cost: null,
    patchBytes: 10,
    finishedAt: "2026-12-02T00:00:00Z",
    ...extra,
  };
}
