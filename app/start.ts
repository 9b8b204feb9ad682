import type { ApplicationFunction, Probot, ProbotOctokit, Server } from "probot";
import { run } from "probot";
import { Metrics } from "./deps/metrics.ts";
import { WorkQueue } from "./deps/work-queue.ts";
import { type History, privateKeyText, startHistory } from "./history.ts";
import { readHistorySettings } from "./history-settings.ts";
import { httpRoutes } from "./http-routes.ts";
import { inhouse } from "./index.ts";
import { intakeRoutes } from "./intake/routes.ts";
import { readIntakeSettings } from "./intake/settings.ts";
import { SlackFollowUps } from "./intake/slack-follow-ups.ts";
import { AppOctokit } from "./octokit.ts";
import { readSettings } from "./settings.ts";
import { startSetupServer } from "./setup-server.ts";
import { StoreReplayGuard } from "./token-exchange/replay-guard.ts";
import { tokenExchangeSettings } from "./token-exchange/settings.ts";

/** How long a stopping process waits for acknowledged deliveries to be handled. */
const DRAIN_MS = 25_000;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`inhouse cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests and the benchmark pass an Octokit without retry and throttling; production keeps both (`octokit.ts`). */
  Octokit?: typeof ProbotOctokit;
}

/**
 * Starts the App with Probot. Unconfigured, Probot serves its registration page (the manifest flow
 * reads `app.yml`); configured, it serves webhooks, `/healthz` and `/metrics`.
 */
export interface Started {
  server: Server;
  metrics: Metrics;
  /** Acknowledged deliveries still being handled. */
  queue: WorkQueue;
  /** The run history and dashboard; absent in setup mode (nothing to record yet). */
  history?: History;
}

export async function start(options: StartOptions = {}): Promise<Started> {
  const env = options.env ?? process.env;
  const read = readSettings(env);
  if (!read.ok) throw new ConfigurationError(read.problems);
  const { settings } = read;
  const historyRead = readHistorySettings(env, settings.port);
  if (!historyRead.ok) throw new ConfigurationError(historyRead.problems);
  const intakeRead = readIntakeSettings(env);
  if (!intakeRead.ok) throw new ConfigurationError(intakeRead.problems);
  const metrics = new Metrics();
  const queue = new WorkQueue(() => {});
  if (settings.mode === "setup") {
    // The registration pages and /healthz; nothing to record or drain until the App exists.
    const server = await startSetupServer({
      port: settings.port,
      ...(settings.host ? { host: settings.host } : {}),
      env,
      metrics,
    });
    process.once("SIGTERM", () => void server.stop().then(() => process.exit(0)));
    return { server, metrics, queue };
  }
  const history =
    settings.mode === "serve"
      ? await startHistory(historyRead.settings, privateKeyText(env), metrics, startupLog(env))
      : undefined;

  const appFn: ApplicationFunction = async (app: Probot, { addHandler }) => {
    const slackFollowUps =
      history && intakeRead.settings?.slack ? new SlackFollowUps(history.store.db, app.log) : undefined;
    await inhouse({
      appId: settings.mode === "serve" ? settings.appId : 0,
      metrics,
      queue,
      ...(history ? { recorder: history.recorder } : {}),
      ...(history?.checkBudget ? { checkBudget: history.checkBudget } : {}),
      ...(slackFollowUps ? { slackFollowUps } : {}),
      ...(settings.mode === "serve"
        ? {
            tokenExchange: {
              ...tokenExchangeSettings(env, historyRead.settings.dashboard.publicUrl),
              // Traded OIDC tokens live in the run history, so every App process and a restart refuse a replay.
              ...(history ? { replay: new StoreReplayGuard(history.store.db) } : {}),
            },
          }
        : {}),
      ...(settings.defaultRunnerRepo ? { defaultRunnerRepo: settings.defaultRunnerRepo } : {}),
    })(app, {
      addHandler,
      cwd: process.cwd(),
    });
    addHandler(httpRoutes(metrics));
    if (history) addHandler(history.dashboard);
    if (settings.mode === "serve" && intakeRead.settings) {
      addHandler(
        intakeRoutes(
          {
            app,
            log: app.log,
            appId: settings.appId,
            metrics,
            queue,
            now: () => new Date(),
            ...(history ? { recorder: history.recorder } : {}),
            ...(history?.checkBudget ? { checkBudget: history.checkBudget } : {}),
            ...(slackFollowUps ? { slackFollowUps } : {}),
            ...(settings.defaultRunnerRepo ? { defaultRunnerRepo: settings.defaultRunnerRepo } : {}),
          },
          intakeRead.settings,
        ),
      );
    }
    // The manifest flow registers the webhook URL as the server root; accept deliveries there too.
    if (settings.mode === "serve" && settings.webhookPath !== "/")
      addHandler(await app.getNodeMiddleware({ path: "/" }));
  };

  const server = await run(appFn, {
    env: { ...env, PORT: String(settings.port) },
    Octokit: options.Octokit ?? AppOctokit,
  });
  // Stop taking deliveries, then finish the ones already acknowledged (GitHub will not resend them).
  const stop = async () => {
    await server.stop().catch(() => undefined);
    const drained = await Promise.race([
      queue.idle().then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, DRAIN_MS, false).unref()),
    ]);
    await history?.close().catch(() => undefined);
    process.exit(drained ? 0 : 1);
  };
  process.once("SIGTERM", () => void stop());
  return { server, metrics, queue, ...(history ? { history } : {}) };
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

/** Start-up messages before Probot's logger exists: one JSON line each, at LOG_LEVEL like Probot's. */
function startupLog(env: NodeJS.ProcessEnv) {
  const floor = Math.max(0, LEVELS.indexOf(env.LOG_LEVEL ?? "info"));
  const at = (level: string, write: (line: string) => void) => (details: object, message: string) => {
    if (LEVELS.indexOf(level) >= floor) write(JSON.stringify({ level, msg: message, ...details }));
  };
  return { info: at("info", console.log), warn: at("warn", console.warn), error: at("error", console.error) };
}
