import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
  at: number;
}

export type Route = [
  method: string,
  path: RegExp,
  answer: (body: unknown) => { status: number; body: unknown },
];

export interface FakeGitHub {
  url: string;
  requests: FakeRequest[];
  /** Requests no route answered: a test asserts this is empty. */
  unmatched: FakeRequest[];
  close(): Promise<void>;
}

/**
 * A few REST routes on loopback, for suites where nock must be off (the Docker sandbox's hijacked
 * streams do not survive nock's interception). Every request is recorded with its body and time.
 */
export async function startFakeGitHub(routes: Route[]): Promise<FakeGitHub> {
  const state: Omit<FakeGitHub, "close" | "url"> = { requests: [], unmatched: [] };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: decodeURIComponent(req.url ?? "/"),
      body: text ? JSON.parse(text) : undefined,
      at: performance.now(),
    };
    state.requests.push(request);
    const route = routes.find(([method, path]) => method === request.method && path.test(request.path));
    if (!route) state.unmatched.push(request);
    const answer = route ? route[2](request.body) : { status: 404, body: { message: "Not Found" } };
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    ...state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  } as FakeGitHub;
}
