/** `inhouse eval` summaries in the run history: written by the CLI, read by the dashboard's models page. */
import { type Kysely, sql } from "kysely";
import type { Database, EvalResultRow } from "./schema.ts";

export interface EvalSummaryInput {
  repository: string;
  evaluatedAt: Date;
  best?: string;
  profiles: Array<{
    profile: string;
    model: string;
    instances: number;
    resolved: number;
    confidence95: { low: number; high: number };
    tokensPerInstance: number;
    minutesPerInstance: number;
    cost: number | null;
  }>;
}

export async function recordEvalSummary(db: Kysely<Database>, input: EvalSummaryInput): Promise<number> {
  if (input.profiles.length === 0) return 0;
  await db
    .insertInto("eval_results")
    .values(
      input.profiles.map((p) => ({
        repository: input.repository,
        profile: p.profile,
        model: p.model,
        instances: p.instances,
        resolved: p.resolved,
        ci_low: p.confidence95.low,
        ci_high: p.confidence95.high,
        tokens_per_instance: p.tokensPerInstance,
        minutes_per_instance: p.minutesPerInstance,
        cost: p.cost,
        best: p.profile === input.best,
        evaluated_at: input.evaluatedAt,
      })),
    )
    .execute();
  return input.profiles.length;
}

/** The latest eval result per repository and profile, for the repositories the reader may see. */
export async function latestEvalResults(
  db: Kysely<Database>,
  repositories: string[],
): Promise<EvalResultRow[]> {
  if (repositories.length === 0) return [];
  const readable = repositories.map((name) => name.toLowerCase());
  const rows = await db
    .selectFrom("eval_results")
    .selectAll()
    .where(sql<boolean>`lower(repository) in (${sql.join(readable)})`)
    .orderBy("evaluated_at", "desc")
    .orderBy("id", "desc")
    .execute();
  const seen = new Set<string>();
  return rows
    .filter((row) => {
      const key = `${row.repository.toLowerCase()}\u0000${row.profile}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((row) => ({
      ...row,
      id: Number(row.id),
      tokens_per_instance: Number(row.tokens_per_instance),
    }));
}
