import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dashboard } from "../../../app/dashboard/dashboard.ts";
import type { Store } from "../../../store/open-store.ts";
import { close } from "../../e2e/local-github/http-server.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";

export interface DashboardServer {
  url: string;
  close(): Promise<void>;
}

/** The dashboard on a loopback port, signing in through the local GitHub's web flow. */
export async function startDashboard(
  github: LocalGitHub,
  store: Store,
  now?: () => Date,
): Promise<DashboardServer> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  github.oauth.callbackUrls = [`${url}/dashboard/auth/callback`];
  const handler = dashboard({
    db: store.db,
    github: { api: github.url, web: github.url },
    oauth: github.credentials.oauth,
    publicUrl: url,
    secret: "a-test-secret-that-is-long-enough-0123456789",
    ...(now ? { now } : {}),
  });
  server.on("request", (request, response) => {
    void handler(request, response).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  return { url, close: () => close(server) };
}
