import { z } from "zod";

/**
 * Money from tokens: a model profile's price per million prompt and completion tokens, set on the
 * runner (never by a repository). The action uses it for its per-task cost cap and writes the cost
 * into the usage record; the App adds the recorded costs up for monthly budgets.
 */
export const ModelPriceSchema = z.strictObject({
  /** Price per million prompt (input) tokens, in the unit the budgets use. */
  prompt: z.number().min(0),
  /** Price per million completion (output) tokens. */
  completion: z.number().min(0),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export function costOf(tokens: { prompt: number; completion: number }, price: ModelPrice): number {
  const cost = (tokens.prompt * price.prompt + tokens.completion * price.completion) / 1_000_000;
  // Micro-units: enough for any price, and sums that do not drift.
  return Math.round(cost * 1_000_000) / 1_000_000;
}
