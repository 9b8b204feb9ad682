import type { IncomingMessage, ServerResponse } from "node:http";
import type { Metrics } from "./metrics.ts";

/** `/healthz` for load balancers and `/metrics` for Prometheus, beside Probot's webhook route. */
export function httpRoutes(metrics: Metrics) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== "GET") return false;
    const path = request.url?.split("?")[0];
    if (path === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}\n');
      return true;
    }
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(metrics.render());
      return true;
    }
    return false;
  };
}
