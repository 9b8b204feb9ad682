/**
 * The eval's summary into the run history, when one is configured (DATABASE_URL, or
 * INHOUSE_DATA_DIR for the embedded store): the dashboard's models page shows it next to the
 * profiles' real runs. Without either, nothing is recorded and nothing is created.
 */
import { recordEvalSummary } from "../../store/eval-history.ts";
import { describeDatabaseUrl, openStore } from "../../store/open-store.ts";
import type { EvalReport } from "./report.ts";

/** Where it was recorded, or undefined when no store is configured. */
export async function recordEvalReport(
  report: EvalReport,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const dataDir = env.INHOUSE_DATA_DIR || undefined;
  if (!databaseUrl && !dataDir) return undefined;
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ databaseUrl, dataDir });
  } catch (error) {
    throw new Error(
      `the report is written, but the run history at ${databaseUrl ? describeDatabaseUrl(databaseUrl) : dataDir} could not be opened (${(error as Error).message}); ` +
        "an embedded store is one process's at a time: stop the App or record through DATABASE_URL",
    );
  }
  try {
    await recordEvalSummary(store.db, {
      repository: report.repository,
      evaluatedAt: new Date(report.generatedAt),
      best: report.best,
      profiles: report.profiles.filter((p) => p.instances > 0),
    });
    return store.location;
  } finally {
    await store.close();
  }
}
