// A stand-in for the GitHub REST API on loopback: the few routes the App calls, answered at once,
// with just enough state (comment bodies) for the App's read-after-write to behave as on GitHub.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeGitHub {
  host: string;
  calls: number;
  routes: Map<string, number>;
  /** Stores a comment as if the App had written it earlier; returns its id. */
  seed(body: string): number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeGitHub(appId: number): Promise<FakeGitHub> {
  const comments = new Map<number, string>();
  let nextId = 1_000_000;
  let nextRun = 1;
  const routes = new Map<string, number>();
  const fake: FakeGitHub = {
    host: "",
    calls: 0,
    routes,
    seed: (text) => {
      const id = nextId++;
      comments.set(id, text);
      return id;
    },
    close: async () => {},
  };

  const json = (response: ServerResponse, status: number, body: unknown) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    response.end(text);
  };

  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", "http://x");
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const method = request.method ?? "GET";
    // Control routes for the benchmark when the fake runs in its own process.
    if (path === "/__bench/seed" && method === "POST") return json(response, 201, { id: fake.seed(body) });
    if (path === "/__bench/calls") return json(response, 200, { calls: fake.calls });
    const route = `${method} ${path.replace(/\d+/g, ":n").replace(/\/collaborators\/[^/]+\//, "/collaborators/:u/")}`;
    routes.set(route, (routes.get(route) ?? 0) + 1);
    fake.calls += 1;
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return json(response, 201, {
        token: "ghs_fake",
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
    }
    if (method === "GET" && path.includes("/contents/")) return json(response, 404, { message: "Not Found" });
    if (method === "GET" && path.includes("/collaborators/")) {
      return json(response, 200, { permission: "write", role_name: "write" });
    }
    if (method === "GET" && /\/issues\/\d+\/comments$/.test(path)) return json(response, 200, []);
    if (method === "POST" && path.endsWith("/reactions"))
      return json(response, 201, { id: 1, content: "eyes" });
    if (method === "POST" && /\/issues\/\d+\/comments$/.test(path)) {
      const id = nextId++;
      comments.set(id, (JSON.parse(body) as { body: string }).body);
      return json(response, 201, { id, html_url: `https://github.example/c/${id}` });
    }
    const match = /\/issues\/comments\/(\d+)$/.exec(path);
    if (match) {
      const id = Number(match[1]);
      if (method === "PATCH") comments.set(id, (JSON.parse(body) as { body: string }).body);
      const stored = comments.get(id);
      if (stored === undefined) return json(response, 404, { message: "Not Found" });
      return json(response, 200, { id, body: stored, performed_via_github_app: { id: appId } });
    }
    if (method === "POST" && path.endsWith("/dispatches")) {
      const run = nextRun++;
      return json(response, 200, {
        workflow_run_id: run,
        run_url: `x/${run}`,
        html_url: `https://github.example/runs/${run}`,
      });
    }
    return json(response, 404, { message: `fake GitHub has no route ${method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

/** Run as a child process: `tsx bench/app-fake-github.ts <appId>` prints its host on stdout. */
if (process.argv[1]?.endsWith("app-fake-github.ts") && process.send) {
  const fake = await startFakeGitHub(Number(process.argv[2] ?? 1));
  process.send({ host: fake.host });
  process.on("disconnect", () => void fake.close().then(() => process.exit(0)));
}
