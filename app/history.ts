import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { openStore, type Store } from "../store/open-store.ts";
import { pruneHistory } from "../store/prune.ts";
import { checkBudget, loadBudgets } from "./budgets.ts";
import { dashboard } from "./dashboard/dashboard.ts";
import { githubUrls } from "./dashboard/github-user.ts";
import type { Metrics } from "./deps/metrics.ts";
import { RunRecorder } from "./deps/run-recorder.ts";
import type { Deps } from "./deps/types.ts";
import type { HistorySettings } from "./history-settings.ts";

const DAY_MS = 86_400_000;

export interface History {
  store: Store;
  recorder: RunRecorder;
  checkBudget?: Deps["checkBudget"];
  dashboard: (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;
  close(): Promise<void>;
}

interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The run history of a serving App: the store (migrated), what records into it, budgets, the
 * dashboard, and retention pruning at start-up and once a day.
 */
export async function startHistory(
  settings: HistorySettings,
  privateKey: string,
  metrics: Metrics,
  log: Log,
): Promise<History> {
  const budgets = settings.budgetsFile ? loadBudgets(settings.budgetsFile) : undefined;
  const store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  log.info({ backend: store.backend, location: store.location }, "run history ready");
  const recorder = new RunRecorder(store.db, metrics, log);
  const prune = () =>
    pruneHistory(store.db, settings.retentionDays)
      .then((pruned) => log.info({ ...pruned, retentionDays: settings.retentionDays }, "run history pruned"))
      .catch((error: unknown) => log.warn({ err: error }, "could not prune the run history"));
  await prune();
  const timer = setInterval(() => void prune(), DAY_MS);
  timer.unref();
  const handler = dashboard({
    db: store.db,
    github: githubUrls(settings.gheHost, settings.gheProtocol),
    ...(settings.dashboard.oauth ? { oauth: settings.dashboard.oauth } : {}),
    publicUrl: settings.dashboard.publicUrl,
    secret: settings.dashboard.secret ?? deriveSecret(privateKey),
    ...(budgets ? { currency: budgets.currency } : {}),
    log,
  });
  return {
    store,
    recorder,
    ...(budgets ? { checkBudget: (repo) => checkBudget(store.db, budgets, repo) } : {}),
    dashboard: handler,
    close: async () => {
      clearInterval(timer);
      await store.close();
    },
  };
}

/** Every App process holds the same private key, so they derive the same dashboard secret. */
function deriveSecret(privateKey: string): string {
  return createHash("sha256").update(`inhouse dashboard\n${privateKey}`).digest("hex");
}

/** The PEM (or its base64) from PRIVATE_KEY, or the file PRIVATE_KEY_PATH names; validated earlier. */
export function privateKeyText(env: NodeJS.ProcessEnv): string {
  return env.PRIVATE_KEY || (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : "");
}
