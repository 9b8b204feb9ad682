/**
 * Setup mode (no APP_ID yet): Probot's registration pages, plus `/healthz`, so a container platform's
 * health check passes from the very first start. Probot's own `run()` serves setup mode with a
 * fixed list of routes (a `/healthz` there answers 404), so this builds the same server itself:
 * Probot's `Server`, its setup handler (the manifest flow), and our routes after it.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Probot, Server } from "probot";
import type { Metrics } from "./deps/metrics.ts";
import { httpRoutes } from "./http-routes.ts";

/** Probot skips its own key checks in setup mode the same way (its issue #1512): nothing is signed. */
const SETUP_CREDENTIALS = { appId: 1, privateKey: "dummy value for setup, see probot#1512" };

type Level = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

export interface SetupServerOptions {
  port: number;
  host?: string;
  env: NodeJS.ProcessEnv;
  metrics: Metrics;
}

interface SetupAppModule {
  setupAppFactory(options: {
    host: string;
    port: number;
    log: Probot["log"];
    updateEnv?: (env: Record<string, string>) => Record<string, string>;
  }): () => Promise<(request: IncomingMessage, response: ServerResponse) => Promise<boolean>>;
}

/**
 * Probot's setup handler is not exported by name (`probot`'s `exports` lists only the index);
 * it is loaded from the file beside the index, as Probot's own `run()` imports it.
 */
async function loadSetupApp(): Promise<SetupAppModule> {
  const index = createRequire(import.meta.url).resolve("probot");
  return (await import(pathToFileURL(join(dirname(index), "apps", "setup.js")).href)) as SetupAppModule;
}

export async function startSetupServer(options: SetupServerOptions): Promise<Server> {
  const level = (options.env.LOG_LEVEL as Level | undefined) ?? "info";
  const logFormat = options.env.LOG_FORMAT === "json" ? "json" : "pretty";
  const probot = await new Probot({ ...SETUP_CREDENTIALS, logLevel: level, logFormat }).ready();
  const log = probot.log;
  const server = new Server({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    log,
    Probot: Probot.defaults({ ...SETUP_CREDENTIALS, log }),
  });
  const { setupAppFactory } = await loadSetupApp();
  await server.loadHandlerFactory(
    setupAppFactory({
      host: options.host ?? "localhost",
      port: options.port,
      log: log.child({ name: "setup" }),
    }),
  );
  server.addHandler(httpRoutes(options.metrics, "setup"));
  await server.start();
  return server;
}
