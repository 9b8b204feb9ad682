import type { ApplicationFunction, Probot, ProbotOctokit, Server } from "probot";
import { run } from "probot";
import { httpRoutes } from "./http-routes.ts";
import { inhouse } from "./index.ts";
import { Metrics } from "./metrics.ts";
import { readSettings } from "./settings.ts";
import { WorkQueue } from "./work-queue.ts";

/** How long a stopping process waits for acknowledged deliveries to be handled. */
const DRAIN_MS = 25_000;

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`inhouse cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests and the benchmark pass an Octokit without retry and throttling; production keeps both. */
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
}

export async function start(options: StartOptions = {}): Promise<Started> {
  const env = options.env ?? process.env;
  const read = readSettings(env);
  if (!read.ok) throw new ConfigurationError(read.problems);
  const { settings } = read;
  const metrics = new Metrics();
  const queue = new WorkQueue(() => {});

  const appFn: ApplicationFunction = async (app: Probot, { addHandler }) => {
    await inhouse({ appId: settings.mode === "serve" ? settings.appId : 0, metrics, queue })(app, {
      addHandler,
      cwd: process.cwd(),
    });
    addHandler(httpRoutes(metrics));
    // The manifest flow registers the webhook URL as the server root; accept deliveries there too.
    if (settings.mode === "serve" && settings.webhookPath !== "/")
      addHandler(await app.getNodeMiddleware({ path: "/" }));
  };

  const server = await run(appFn, {
    env: { ...env, PORT: String(settings.port) },
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  // Stop taking deliveries, then finish the ones already acknowledged (GitHub will not resend them).
  const stop = async () => {
    await server.stop().catch(() => undefined);
    const drained = await Promise.race([
      queue.idle().then(() => true),
      new Promise<false>((resolve) => setTimeout(resolve, DRAIN_MS, false).unref()),
    ]);
    process.exit(drained ? 0 : 1);
  };
  process.once("SIGTERM", () => void stop());
  return { server, metrics, queue };
}
