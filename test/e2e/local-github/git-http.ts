import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isAncestor, listRefs } from "./git-repos.ts";
import type { PushRecord } from "./state.ts";

/** `/<owner>/<repo>.git/<git path>`: the smart-HTTP paths github.com serves beside its web pages. */
export const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/.*)$/;

export interface GitHttpRequest {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  body: Buffer;
  /** The root that holds `<owner>/<repo>.git`. */
  projectRoot: string;
  /** `<owner>/<repo>.git/...` relative to the root, as git http-backend expects it in PATH_INFO. */
  pathInfo: string;
  gitDir: string;
  user: string;
  repoFullName: string;
  /** Extra environment for git (the push gate's hooks directory and push id). */
  env?: Record<string, string>;
  /** Sends the answer's body (counted and paced by `git-traffic.ts`); default: at once. */
  send?: (body: Buffer) => Promise<void>;
}

const ZERO = "0000000000000000000000000000000000000000";

/** Runs git's own smart-HTTP backend as a CGI program, so clone and push are real git. */
function runHttpBackend(
  req: GitHttpRequest,
): Promise<{ status: number; headers: [string, string][]; body: Buffer }> {
  const { request, url } = req;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    GIT_PROJECT_ROOT: req.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    GIT_CONFIG_NOSYSTEM: "1",
    PATH_INFO: req.pathInfo,
    REQUEST_METHOD: request.method ?? "GET",
    QUERY_STRING: url.search.replace(/^\?/, ""),
    CONTENT_TYPE: request.headers["content-type"] ?? "",
    CONTENT_LENGTH: String(req.body.length),
    REMOTE_USER: req.user,
    REMOTE_ADDR: request.socket.remoteAddress ?? "127.0.0.1",
    ...req.env,
  };
  const encoding = request.headers["content-encoding"];
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  const protocol = request.headers["git-protocol"];
  if (typeof protocol === "string") env.HTTP_GIT_PROTOCOL = protocol;

  return new Promise((resolve, reject) => {
    const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    // git may answer and exit before reading all of a request body it refuses; that is its answer, not a crash.
    child.stdin.on("error", () => undefined);
    child.on("close", () => {
      const raw = Buffer.concat(out);
      const split = raw.indexOf("\r\n\r\n");
      const headerEnd = split === -1 ? raw.indexOf("\n\n") : split;
      const separator = split === -1 ? 2 : 4;
      if (headerEnd === -1) {
        reject(new Error(`git http-backend wrote no CGI headers: ${Buffer.concat(err).toString("utf8")}`));
        return;
      }
      let status = 200;
      const headers: [string, string][] = [];
      for (const line of raw.subarray(0, headerEnd).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers.push([name, value]);
      }
      resolve({ status, headers, body: raw.subarray(headerEnd + separator) });
    });
    child.stdin.end(req.body);
  });
}

/** The ref updates a receive-pack changed, found by comparing refs before and after. */
async function refUpdates(gitDir: string, before: Map<string, string>, repo: string): Promise<PushRecord[]> {
  const after = await listRefs(gitDir);
  const updates: PushRecord[] = [];
  for (const ref of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(ref) ?? ZERO;
    const next = after.get(ref) ?? ZERO;
    if (old === next) continue;
    const forced = old !== ZERO && next !== ZERO && !(await isAncestor(gitDir, old, next));
    updates.push({ repo, ref, before: old, after: next, forced });
  }
  return updates;
}

/** `ng <ref> <reason>` lines of git's report-status: the updates git refused. */
function refusedUpdates(body: Buffer, repo: string): PushRecord[] {
  const text = body.toString("latin1");
  return [...text.matchAll(/ng (refs\/\S+) ([^\n]+)/g)].map((match) => ({
    repo,
    ref: match[1]!,
    before: "",
    after: "",
    forced: false,
    refused: match[2]!.trim(),
  }));
}

/**
 * Serves one smart-HTTP request. Pushes are recorded (through `record`) before git's answer is sent,
 * so a test that awaits `git push` sees them.
 */
export async function serveGit(
  req: GitHttpRequest,
  record: (pushes: PushRecord[]) => Promise<void>,
  rewrite: (body: Buffer) => Buffer = (body) => body,
): Promise<void> {
  const isPush = req.pathInfo.endsWith("/git-receive-pack") && req.request.method === "POST";
  const before = isPush ? await listRefs(req.gitDir) : undefined;
  const result = await runHttpBackend(req);
  if (before) {
    result.body = rewrite(result.body);
    await record([
      ...(await refUpdates(req.gitDir, before, req.repoFullName)),
      ...refusedUpdates(result.body, req.repoFullName),
    ]);
  }
  req.response.writeHead(result.status, Object.fromEntries(result.headers));
  if (req.send) await req.send(result.body);
  else req.response.end(result.body);
}
