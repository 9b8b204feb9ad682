import type { ApplicationFunction, Probot, ProbotOctokit, Server } from "probot";
import { run } from "probot";
import { httpRoutes } from "./http-routes.ts";
import { inhouse } from "./index.ts";
import { Metrics } from "./metrics.ts";
import { readSettings } from "./settings.ts";

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
export async function start(options: StartOptions = {}): Promise<Server> {
  const env = options.env ?? process.env;
  const read = readSettings(env);
  if (!read.ok) throw new ConfigurationError(read.problems);
  const { settings } = read;
  const metrics = new Metrics();

  const appFn: ApplicationFunction = async (app: Probot, { addHandler }) => {
    await inhouse({ appId: settings.mode === "serve" ? settings.appId : 0, metrics })(app, {
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
  const stop = () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", stop);
  return server;
}
