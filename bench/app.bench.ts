// The App's webhook path under load: 500 signed deliveries of mixed events posted over loopback to
// the App started as `npm start` starts it, with GitHub answered by the local GitHub (its REST
// routes, token rules and request checks; rate limits lifted) in a process of its own. Side by side: the
// same deliveries one at a time (the naive client), and a server that only verifies signatures
// (the floor any Probot app pays).

import { fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createNetServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { type Started, start } from "../app/start.ts";
import { renderRunName, renderStatusComment } from "../core/status-marker.ts";
import { webhookExample } from "../test/helpers/webhook-examples.ts";
import type { Ready, SeedRequest } from "./app-local-github.ts";
import { percentile, round } from "./stats.ts";
import type { BenchArea, BenchRow } from "./types.ts";

const APP_ID = 4242;
const SECRET = "bench-secret";
/**
 * 500 per measured phase (p99 is then the 5th slowest): with 1,000 and a warm-up of 500, every
 * delivery answered by the local GitHub, the whole bench took over 15 minutes on a loaded 2-core host.
 */
const DELIVERIES = 500;
/** Enough deliveries for the JIT to settle: with 100 the first measured phase ran ~3x slower. */
const WARMUP = 250;
const IN_FLIGHT = 16;
/** Open loop: deliveries arrive at this rate whatever the answers, as from GitHub. */
const OPEN_RATE_PER_S = 25;
const OPEN_COUNT = 250;

interface Delivery {
  event: string;
  id: string;
  body: string;
  signature: string;
}

type Json = Record<string, unknown> & { [key: string]: unknown };
const example = (name: string, action: string): Json => webhookExample(name, action);

/** The local GitHub in its own process, seeded over IPC. */
interface RemoteGitHub extends Ready {
  seed(request: SeedRequest): Promise<number>;
  calls(): Promise<number>;
  close(): Promise<void>;
}

async function startRemoteGitHub(): Promise<RemoteGitHub> {
  const script = join(dirname(fileURLToPath(import.meta.url)), "app-local-github.ts");
  const child = fork(script, [String(APP_ID)], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("message", (message) => resolve(message as Ready));
    child.once("exit", (code) => reject(new Error(`the local GitHub exited with ${code}`)));
  });
  const waiting = new Map<number, (result: number) => void>();
  child.on("message", (message) => {
    const { id, result } = message as { id?: number; result?: number };
    if (id !== undefined) waiting.get(id)?.(result ?? Number.NaN);
    if (id !== undefined) waiting.delete(id);
  });
  let nextId = 0;
  const seed = (request: SeedRequest) =>
    new Promise<number>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, request });
    });
  return {
    ...ready,
    seed,
    calls: () => seed({ op: "calls" }),
    // The child closes the local GitHub when the channel goes; one that has not exited in 10 s is stopped.
    close: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Each trigger targets its own issue so none waits on another's lock or sees "already running". */
async function buildDeliveries(count: number, github: RemoteGitHub, offset: number): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const n = await github.seed({ op: "issue" });
    const slot = i % 10;
    let event: string;
    let payload: Json;
    if (slot < 3) {
      event = "issues";
      payload = example("issues", "labeled");
      (payload.label as Json).name = "agent";
      (payload.issue as Json).number = n;
    } else if (slot < 8) {
      event = "issue_comment";
      payload = example("issue_comment", "created");
      (payload.issue as Json).number = n;
      delete (payload.issue as Json).pull_request;
      const text = slot < 6 ? "/agent fix please keep the API" : "Thanks, looks good to me!";
      (payload.comment as Json).body = text;
      (payload.comment as Json).id = await github.seed({
        op: "comment",
        issue: n,
        body: text,
        by: "Codertocat",
      });
    } else if (slot === 8) {
      event = "pull_request";
      payload = example("pull_request", "opened");
      (payload.pull_request as Json).number = n;
    } else {
      event = "workflow_run";
      payload = example("workflow_run", "completed");
      const statusId = await github.seed({
        op: "comment",
        issue: n,
        by: "app",
        body: renderStatusComment(
          {
            v: 1,
            task: { kind: "fix-issue", number: n },
            delivery: `old-${n}`,
            actor: "Codertocat",
            state: "running",
          },
          "running",
        ),
      });
      const run = payload.workflow_run as Json;
      run.conclusion = "failure";
      // The agent workflow's file, as GitHub names it: without it the App ignores the run (our-run.ts).
      run.path = ".github/workflows/agent.yml";
      run.display_title = renderRunName({
        owner: "Codertocat",
        name: "Hello-World",
        number: n,
        statusCommentId: statusId,
      });
    }
    payload.installation = { id: github.installationId };
    (payload.repository as Json).default_branch = "main";
    const body = JSON.stringify(payload);
    out.push({
      event,
      id: `bench-${offset + i}`,
      body,
      signature: `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    });
  }
  return out;
}

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

function post(port: number, delivery: Delivery): Promise<{ ms: number; status: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/github/webhooks",
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(delivery.body),
          "x-github-event": delivery.event,
          "x-github-delivery": delivery.id,
          "x-hub-signature-256": delivery.signature,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, status: response.statusCode ?? 0 }),
        );
      },
    );
    req.on("error", reject);
    req.end(delivery.body);
  });
}

/** Posts every delivery with `inFlight` requests outstanding; returns ack times and the wall time. */
async function fire(port: number, deliveries: Delivery[], inFlight: number) {
  const samples: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++]!;
        const { ms, status } = await post(port, delivery);
        samples.push(ms);
        if (status !== 200) failures += 1;
      }
    }),
  );
  return { samples, failures, seconds: (performance.now() - started) / 1000 };
}

/** Posts at a fixed rate (open loop): the ack time is not hidden by a client waiting its turn. */
async function fireAtRate(port: number, deliveries: Delivery[], perSecond: number) {
  const samples: number[] = [];
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (const [i, delivery] of deliveries.entries()) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(post(port, delivery).then(({ ms }) => void samples.push(ms)));
  }
  await Promise.all(pending);
  return samples;
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The floor: Probot's middleware verifying signatures, with no handlers behind it. */
async function startVerifyOnly(): Promise<{ port: number; close: () => Promise<void> }> {
  const probot = new Probot({ githubToken: "t", secret: SECRET, logLevel: "fatal" });
  const middleware = await createNodeMiddleware(() => {}, { probot });
  const server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Retry and throttling off: the bench lifts GitHub's rate limits, and throttling would measure GitHub's pacing, not the App. */
const BenchOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as object), enabled: false },
}));

const ms = (value: number) => `${round(value, 2)} ms`;

const area: BenchArea = {
  name: "app",
  async run() {
    const github = await startRemoteGitHub();
    const port = await freePort();
    // The run history in a directory of its own: not the checkout's data/, which another App may hold.
    const dataDir = await mkdtemp(join(tmpdir(), "app-bench-history-"));
    let app: Started | undefined;
    const floor = await startVerifyOnly();
    try {
      app = await start({
        env: {
          APP_ID: String(APP_ID),
          PRIVATE_KEY: github.privateKey,
          WEBHOOK_SECRET: SECRET,
          HOST: "127.0.0.1",
          PORT: String(port),
          GHE_HOST: github.host,
          GHE_PROTOCOL: "http",
          LOG_LEVEL: "warn",
          LOG_FORMAT: "json",
          INHOUSE_DATA_DIR: dataDir,
        },
        Octokit: BenchOctokit,
      });
      const { queue } = app;
      // Built (and their status comments seeded) before any clock starts.
      const sets = {
        warmup: await buildDeliveries(WARMUP, github, 0),
        warmup2: await buildDeliveries(WARMUP, github, 60_000),
        concurrent: await buildDeliveries(DELIVERIES, github, 10_000),
        sequential: await buildDeliveries(DELIVERIES, github, 20_000),
        open: await buildDeliveries(OPEN_COUNT, github, 50_000),
      };
      // The floor only verifies signatures: the App's warm-up and concurrent deliveries, sent again.
      const floorSets = { warmup: sets.warmup, measured: sets.concurrent };
      await fire(port, sets.warmup, IN_FLIGHT);
      await queue.idle();
      await fire(port, sets.warmup2, 1);
      await queue.idle();
      const callsBefore = await github.calls();
      const handledStart = performance.now();
      const concurrent = await fire(port, sets.concurrent, IN_FLIGHT);
      await queue.idle();
      const handledSeconds = (performance.now() - handledStart) / 1000;
      const callsPerDelivery = ((await github.calls()) - callsBefore) / DELIVERIES;
      const sequentialStart = performance.now();
      const sequential = await fire(port, sets.sequential, 1);
      await queue.idle();
      const sequentialSeconds = (performance.now() - sequentialStart) / 1000;
      const open = await fireAtRate(port, sets.open, OPEN_RATE_PER_S);
      await queue.idle();
      await fire(floor.port, floorSets.warmup, IN_FLIGHT);
      const verifyOnly = await fire(floor.port, floorSets.measured, IN_FLIGHT);

      const p50 = percentile(concurrent.samples, 50);
      const p99 = percentile(concurrent.samples, 99);
      // Handled, not merely acknowledged: the clock stops when the last task start is done.
      const perSecond = DELIVERIES / handledSeconds;
      const sequentialPerSecond = DELIVERIES / sequentialSeconds;
      const rows: BenchRow[] = [
        {
          measure: `ack p50, ${IN_FLIGHT} in flight (naive: verify-only floor)`,
          ours: ms(p50),
          naive: ms(percentile(verifyOnly.samples, 50)),
          ratio: `${round(p50 / percentile(verifyOnly.samples, 50), 1)}x`,
        },
        {
          measure: `ack p99, ${IN_FLIGHT} in flight (naive: verify-only floor)`,
          ours: ms(p99),
          naive: ms(percentile(verifyOnly.samples, 99)),
          ratio: `${round(p99 / percentile(verifyOnly.samples, 99), 1)}x`,
          goal: "< 100 ms",
        },
        {
          measure: `ack p50 / p99 at ${OPEN_RATE_PER_S}/s arriving (open loop)`,
          ours: `${ms(percentile(open, 50))} / ${ms(percentile(open, 99))}`,
          goal: "< 100 ms",
        },
        {
          measure: "deliveries handled/s (naive: one at a time)",
          ours: `${round(perSecond, 0)}`,
          naive: `${round(sequentialPerSecond, 0)}`,
          ratio: `${round(perSecond / sequentialPerSecond, 1)}x`,
        },
        {
          measure: "ack p50 / p99 one at a time",
          ours: `${ms(percentile(sequential.samples, 50))} / ${ms(percentile(sequential.samples, 99))}`,
        },
        { measure: "acknowledged/s, 16 in flight", ours: `${round(DELIVERIES / concurrent.seconds, 0)}` },
        { measure: "GitHub API calls per delivery (mixed events)", ours: `${round(callsPerDelivery, 2)}` },
        { measure: "non-200 answers", ours: `${concurrent.failures + sequential.failures}` },
        {
          // Everything here shares the machine's cores; the floor row shows how loaded it was.
          measure: "host load average (1 min) / cores",
          ours: `${round(loadavg()[0] ?? 0, 1)} / ${availableParallelism()}`,
        },
      ];
      return {
        rows,
        metrics: {
          "app.ack_p50_ms": round(p50, 3),
          "app.ack_p99_ms": round(p99, 3),
          "app.deliveries_per_s": round(perSecond, 1),
          "app.sequential_deliveries_per_s": round(sequentialPerSecond, 1),
          "app.verify_only_ack_p99_ms": round(percentile(verifyOnly.samples, 99), 3),
          "app.open_loop_ack_p99_ms": round(percentile(open, 99), 3),
        },
      };
    } finally {
      agent.destroy();
      await app?.server.stop();
      // The open store would keep the bench's process alive after the table is printed.
      await app?.history?.close();
      await rm(dataDir, { recursive: true, force: true });
      await floor.close();
      await github.close();
    }
  },
};

export default area;
