/** One instance run by one model profile, as written to results.jsonl and read back on resume. */
import { z } from "zod";

export const InstanceResultSchema = z.object({
  instance: z.string(),
  profile: z.string(),
  model: z.string(),
  /** `graded`: the held-out tests ran; `error`: the harness failed (retried on resume, not the model's fault). */
  status: z.enum(["graded", "error"]),
  resolved: z.boolean(),
  /** The agent's outcome (finished, budget, stuck, failed) and its reason. */
  outcome: z.string(),
  reason: z.string(),
  failToPass: z.object({ passed: z.int(), total: z.int(), failing: z.array(z.string()) }),
  passToPass: z.object({ passed: z.int(), total: z.int(), broken: z.array(z.string()) }),
  tokens: z.object({ prompt: z.int(), completion: z.int(), total: z.int() }),
  turns: z.int(),
  /** Wall time of the whole instance (sandbox, agent, grading) and of the agent's turn alone. */
  durationMs: z.number(),
  agentMs: z.number(),
  /** Money, when the profile has a price; null otherwise. */
  cost: z.number().nullable(),
  patchBytes: z.int(),
  finishedAt: z.string(),
});

export type InstanceResult = z.infer<typeof InstanceResultSchema>;
