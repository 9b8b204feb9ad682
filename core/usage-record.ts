import { z } from "zod";

/**
 * What a task cost and what came of it, in a few hundred bytes: the action writes it into the final
 * status marker, the App reads it back (App-written comment only) into the run history, and the
 * CLI records it directly. Bounded so a marker stays far below GitHub's comment size limit.
 */
export const verificationResults = ["passed", "failed", "not-run"] as const;

export const UsageRecordSchema = z.strictObject({
  /** The agent loop's outcome: finished, budget, stuck, failed (or cancelled/refused before it ran). */
  outcome: z.string().max(40),
  turns: z.int().min(0),
  tokens: z.strictObject({ prompt: z.int().min(0), completion: z.int().min(0) }),
  /** Seconds per phase, in order (provisioning, working, verifying, publishing…). */
  phases: z.array(z.strictObject({ name: z.string().max(60), seconds: z.number().min(0) })).max(12),
  verification: z.enum(verificationResults),
  /** The PR, pushed commit or review published; absent when nothing was. */
  link: z.url().max(500).optional(),
  pr: z.int().positive().optional(),
  /** Hosts the allowlist proxy refused, as `host` (at most 20). */
  blocked: z.array(z.string().max(255)).max(20).optional(),
  /** The runner-side model profile name; never an endpoint. */
  profile: z.string().max(60),
  /** tokens × the profile's price per million tokens; absent when the runner set no price. */
  cost: z.number().min(0).optional(),
  runner: z.string().max(100).optional(),
});
export type UsageRecord = z.infer<typeof UsageRecordSchema>;
