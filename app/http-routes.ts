import type { IncomingMessage, ServerResponse } from "node:http";
import type { Metrics } from "./deps/metrics.ts";

/**
 * `/healthz` for load balancers and `/metrics` for Prometheus, beside Probot's webhook route. Both
 * answer in setup mode too (`mode: "setup"`, before the App is registered), so a platform's health
 * check passes from the first start.
 */
export function httpRoutes(metrics: Metrics, mode: "serve" | "setup" = "serve") {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== "GET") return false;
    const path = request.url?.split("?")[0];
    if (path === "/healthz") {
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(`${JSON.stringify({ status: "ok", mode })}\n`);
      return true;
    }
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.render());
      return true;
    }
    return false;
  };
}
