import { readFileSync } from "node:fs";
import type { Kysely } from "kysely";
import { z } from "zod";
import { formatErrors } from "../core/result.ts";
import { loadYamlSafely } from "../core/safe-yaml.ts";
import { toFieldErrors } from "../core/zod-errors.ts";
import { monthlySpend } from "../store/queries/monthly-spend.ts";
import type { Database } from "../store/schema.ts";
import type { BudgetCheck } from "./deps/types.ts";

/**
 * Monthly money budgets, set by whoever runs the App (never by a repository): per organisation
 * (or user account) and per repository, in the unit the runners' prices use. Checked before every
 * dispatch against this calendar month's recorded cost; a task over budget is refused.
 */
const amount = z.number().min(0);
export const BudgetsFileSchema = z.strictObject({
  /** Printed before amounts, e.g. "$" or "EUR ". */
  currency: z.string().max(8).default("$"),
  /** Who can raise a budget, named in every refusal, e.g. "@acme/platform-team". */
  contact: z.string().min(1).max(200),
  organisations: z.record(z.string(), amount).default({}),
  repositories: z.record(z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected owner/name"), amount).default({}),
});
export type BudgetsFile = z.infer<typeof BudgetsFileSchema>;

export class BudgetsFileError extends Error {}

export function loadBudgets(path: string): BudgetsFile {
  let raw: unknown;
  try {
    raw = loadYamlSafely(readFileSync(path, "utf8"));
  } catch (error) {
    throw new BudgetsFileError(
      `cannot read the budgets file ${path} (INHOUSE_BUDGETS_FILE): ${(error as Error).message}`,
    );
  }
  const parsed = BudgetsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BudgetsFileError(
      `the budgets file ${path} (INHOUSE_BUDGETS_FILE) is invalid (expected { contact, organisations: { acme: 500 }, repositories: { acme/widget: 50 } }):\n${formatErrors(toFieldErrors(parsed.error))}`,
    );
  }
  return parsed.data;
}

export type { BudgetCheck };

/** Case-insensitive lookup: GitHub names are. */
function find(table: Record<string, number>, name: string): number | undefined {
  const key = Object.keys(table).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : table[key];
}

/**
 * Fails closed: a repository or organisation at or over its budget is refused, and so is every
 * budgeted task when the spend cannot be read.
 */
export async function checkBudget(
  db: Kysely<Database>,
  budgets: BudgetsFile,
  repo: { owner: string; name: string },
  now = new Date(),
): Promise<BudgetCheck> {
  const fullName = `${repo.owner}/${repo.name}`;
  const scopes = [
    {
      label: `the repository ${fullName}`,
      limit: find(budgets.repositories, fullName),
      scope: { repository: fullName },
    },
    {
      label: `the organisation ${repo.owner}`,
      limit: find(budgets.organisations, repo.owner),
      scope: { owner: repo.owner },
    },
  ];
  const money = (value: number) => `${budgets.currency}${value.toFixed(2)}`;
  for (const { label, limit, scope } of scopes) {
    if (limit === undefined) continue;
    let spent: number;
    try {
      spent = await monthlySpend(db, scope, now);
    } catch (error) {
      return {
        ok: false,
        message: `The agent did not start: this month's spend of ${label} could not be read from the run history (${(error as Error).message}), and a budget applies, so the App refuses rather than risk overspending. Ask ${budgets.contact} to check the App's database.`,
      };
    }
    if (spent >= limit) {
      return {
        ok: false,
        message: `The agent did not start: ${label} has spent ${money(spent)} this month of its monthly budget of ${money(limit)}. ${budgets.contact} can raise the budget (the App's budgets file); it resets on the 1st (UTC).`,
      };
    }
  }
  return { ok: true };
}
