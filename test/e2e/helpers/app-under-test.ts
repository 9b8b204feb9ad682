import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { unpacedGroups } from "../../../action/github/client.ts";
import { Metrics } from "../../../app/deps/metrics.ts";
import { RunRecorder } from "../../../app/deps/run-recorder.ts";
import { WorkQueue } from "../../../app/deps/work-queue.ts";
import { type AppOptions, inhouse } from "../../../app/index.ts";
import { intakeRoutes } from "../../../app/intake/routes.ts";
import type { IntakeSettings } from "../../../app/intake/settings.ts";
import { SlackFollowUps } from "../../../app/intake/slack-follow-ups.ts";
import { AppOctokit } from "../../../app/octokit.ts";
import { MemoryReplayGuard, StoreReplayGuard } from "../../../app/token-exchange/replay-guard.ts";
import type { Store } from "../../../store/open-store.ts";
import { openMemoryStore } from "../../helpers/memory-store.ts";
import { close } from "../local-github/http-server.ts";
import type { LocalGitHub } from "../local-github/local-github.ts";

export interface AppUnderTest {
  /** Where the App serves: webhooks, `/api/task-token`, and the intake routes when `intake` was given. */
  url: string;
  metrics: Metrics;
  /** The App's run history (PGlite in memory): what a scenario leaves recorded. */
  store: Store;
  /** What the App logged about Slack follow-ups (sent ones log nothing). */
  slackLog: Array<{ level: "info" | "warn"; message: string; details: object }>;
  /** Errors the App's handlers threw; a scenario expects none. */
  errors: unknown[];
  /** Resolves when the App has finished every delivery it acknowledged. */
  idle(): Promise<void>;
  readonly busy: boolean;
  close(): Promise<void>;
}

/**
 * Octokit as in production minus retry and throttling, so a wrong request fails at once. A function,
 * not an object: Probot merges its own `throttle` options over object defaults shallowly, which would
 * switch throttling (one write per second) back on.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

/**
 * The production Octokit (`app/octokit.ts`: retry, throttling, write-once) with its waits shrunk a
 * hundredfold (GitHub's `retry-after: 60` is 0.6 s) and writes not spaced, for fault scenarios.
 */
const productionOctokit = (waitMs: number) =>
  AppOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    retry: { retryAfterBaseValue: waitMs },
    throttle: { ...(options.throttle as object), retryAfterBaseValue: waitMs, ...unpacedGroups() },
    writeOnce: { baseDelayMs: waitMs },
  }));
const FastProductionOctokit = productionOctokit(10);

/** Probot's own Octokit with its retries, without the write-once rule: what the App had before it. */
const BlindRetryOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { retryAfterBaseValue: 10 },
  throttle: { ...(options.throttle as object), retryAfterBaseValue: 10, ...unpacedGroups() },
}));

const OCTOKITS = {
  test: TestOctokit,
  production: FastProductionOctokit,
  "blind-retry": BlindRetryOctokit,
};

export interface StartAppOptions extends Pick<AppOptions, "checkBudget" | "defaultRunnerRepo"> {
  intake?: IntakeSettings;
  now?: () => Date;
  /**
   * "production": retry, throttling and write-once on (fault scenarios); "blind-retry": Probot's
   * retries without write-once (the naive way, to show a double catches it); default "test": all off.
   */
  octokit?: keyof typeof OCTOKITS;
  /** With "production": milliseconds per second GitHub asks to wait (default 10, a hundredfold shrink). */
  productionWaitMs?: number;
  /**
   * false: no run history (no PGlite store; the token exchange's replay guard in memory), as an App
   * started without `DATABASE_URL` or `INHOUSE_DATA_DIR` would be. Opening PGlite is most of an App's
   * start-up on a loaded machine, and the handler tests do not read the history. Default true.
   */
  history?: boolean;
}

/**
 * The real App, served by Probot over HTTP, authenticating as the local GitHub's test App (JWT →
 * installation token) and receiving its signed webhooks.
 */
export async function startApp(
  github: LocalGitHub,
  { octokit = "test", ...options }: StartAppOptions = {},
): Promise<AppUnderTest> {
  const { intake, now = () => new Date(), productionWaitMs, history = true, ...appOptions } = options;
  const metrics = new Metrics();
  const errors: unknown[] = [];
  const queue = new WorkQueue((error) => errors.push(error));
  const store = history ? await openMemoryStore() : undefined;
  const recorder = store
    ? new RunRecorder(store.db, metrics, { warn: (details) => errors.push(details) })
    : undefined;
  /** What the App logs about Slack follow-ups it could not send (an expired response_url…). */
  const slackLog: AppUnderTest["slackLog"] = [];
  if (intake?.slack && !store)
    throw new Error("startApp: Slack follow-ups need the run history (history: true)");
  const slackFollowUps =
    intake?.slack && store
      ? new SlackFollowUps(store.db, {
          info: (details, message) => slackLog.push({ level: "info", message, details }),
          warn: (details, message) => slackLog.push({ level: "warn", message, details }),
        })
      : undefined;
  const probot = new Probot({
    appId: github.app.id,
    privateKey: github.app.privateKey,
    secret: github.app.webhookSecret,
    baseUrl: github.url,
    Octokit:
      octokit === "production" && productionWaitMs !== undefined
        ? productionOctokit(productionWaitMs)
        : OCTOKITS[octokit],
    logLevel: "fatal",
  });
  // Probot reads the request body itself, so this server hands it the untouched stream. It listens
  // first: the App's address is the audience of the jobs' OIDC tokens (the token exchange).
  let middleware: Awaited<ReturnType<typeof createNodeMiddleware>> | undefined;
  let intakeHandler: ReturnType<typeof intakeRoutes> | undefined;
  const server = createServer((request, response) => {
    void (async () => {
      if (!middleware) return void response.writeHead(503).end();
      if (intakeHandler && (await intakeHandler(request, response))) return;
      await middleware(request, response, () => response.writeHead(404).end());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  intakeHandler = intake
    ? intakeRoutes(
        {
          app: probot,
          log: probot.log,
          appId: github.app.id,
          metrics,
          queue,
          now,
          ...(recorder ? { recorder } : {}),
          ...(appOptions.checkBudget ? { checkBudget: appOptions.checkBudget } : {}),
          ...(slackFollowUps ? { slackFollowUps } : {}),
        },
        intake,
      )
    : undefined;
  middleware = await createNodeMiddleware(
    inhouse({
      appId: github.app.id,
      metrics,
      queue,
      ...(recorder ? { recorder } : {}),
      now,
      tokenExchange: {
        issuer: github.oidc.issuer,
        audience: url,
        replay: store ? new StoreReplayGuard(store.db) : new MemoryReplayGuard(),
      },
      ...(slackFollowUps ? { slackFollowUps } : {}),
      ...appOptions,
    }),
    { probot, webhooksPath: "/api/github/webhooks" },
  );
  github.connectApp(`${url}/api/github/webhooks`);
  return {
    url,
    metrics,
    get store() {
      if (!store) throw new Error("startApp: this App was started with history: false (no store)");
      return store;
    },
    errors,
    slackLog,
    idle: () => queue.idle(),
    get busy() {
      return queue.inFlight > 0;
    },
    close: async () => {
      github.connectApp(undefined);
      await queue.idle();
      await close(server);
      await store?.close();
    },
  };
}
