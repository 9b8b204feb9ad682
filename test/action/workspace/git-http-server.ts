import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Response bytes sent to clients since the last reset: the honest "bytes moved" of a clone. */
  bytesSent: number;
  /** Authorization headers seen, in order. */
  authorizations: (string | undefined)[];
  /** The next `count` requests whose path matches answer `status` without reaching git. */
  fail(count: number, status: number, match: RegExp): void;
  /** Requests answered with an injected failure. */
  failures: number;
  /** Caps the response rate (bytes per second) to model a real link; 0 means loopback speed. */
  bytesPerSecond: number;
  reset(): void;
  close(): Promise<void>;
}

const faults: { count: number; status: number; match: RegExp }[] = [];

function cgi(root: string, req: IncomingMessage, res: ServerResponse, server: GitHttpServer): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  server.authorizations.push(req.headers.authorization);
  const fault = faults.find((f) => f.count > 0 && f.match.test(`${url.pathname}${url.search}`));
  if (fault) {
    fault.count--;
    server.failures++;
    req.resume();
    res.writeHead(fault.status, { "content-type": "text/plain" }).end("injected failure\n");
    return;
  }
  const child = spawn("git", ["http-backend"], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_USER: "tester",
      REMOTE_ADDR: "127.0.0.1",
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  const started = performance.now();
  let paced = 0;
  // Writes go through one promise chain, so pacing can never reorder the stream.
  let queue: Promise<void> = Promise.resolve();
  const send = (chunk: Buffer) => {
    server.bytesSent += chunk.length;
    paced += chunk.length;
    const due = started + (paced / Math.max(1, server.bytesPerSecond)) * 1000;
    queue = queue.then(async () => {
      const wait = server.bytesPerSecond > 0 ? due - performance.now() : 0;
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      res.write(chunk);
    });
  };
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) return send(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const [name, ...rest] = line.split(":");
      const value = rest.join(":").trim();
      if (name?.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else if (name) res.setHeader(name, value);
    }
    res.statusCode = status;
    send(head.subarray(end + 4));
  });
  child.stdout.on("end", () => {
    queue = queue.then(() => void res.end());
  });
}

/** Serves every repository under `root` over smart HTTP on loopback, with `git http-backend`. */
export async function startGitHttpServer(root: string): Promise<GitHttpServer> {
  const state: GitHttpServer = {
    url: "",
    bytesSent: 0,
    authorizations: [],
    failures: 0,
    bytesPerSecond: 0,
    fail(count, status, match) {
      faults.push({ count, status, match });
    },
    reset() {
      state.bytesSent = 0;
      state.authorizations = [];
    },
    close: async () => {
      http.closeAllConnections();
      http.close();
      await once(http, "close");
    },
  };
  const http = createServer((req, res) => cgi(root, req, res, state));
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return state;
}
