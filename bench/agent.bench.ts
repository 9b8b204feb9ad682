/**
 * The agent loop on a scripted 40-turn trajectory against the scripted model server (answers at
 * once) and an in-memory sandbox (commands answer at once), so what is measured is the loop:
 *  - prefix reuse: bytes of each request equal to the previous request's prefix (vLLM prefix cache),
 *    block masking vs masking a sliding window every turn (the naive way);
 *  - prompt tokens over the run with block masking vs no masking;
 *  - loop overhead per turn excluding the model: from the server sending answer n to receiving
 *    request n+1 (client parsing, tools on the memory sandbox, history, audit log, HTTP).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAgent } from "../action/agent/run-agent.ts";
import type { AgentLoopTuning } from "../action/agent/types.ts";
import { createModelClient } from "../action/model/client.ts";
import { createMemorySandbox } from "../test/helpers/memory-sandbox.ts";
import {
  type RecordedRequest,
  type ScriptedStep,
  startScriptedModelServer,
  step,
} from "../test/helpers/scripted-model-server.ts";
import { percentile, round } from "./stats.ts";
import type { BenchArea } from "./types.ts";

const TURNS = 40;

/** Deterministic filler text of a given size that looks like code or logs. */
function text(seed: number, chars: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = `  ${["const", "let", "return", "if", "log"][(seed + i) % 5]} item_${seed}_${i} = compute(${(seed * 31 + i * 7) % 997});`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

const files: Record<string, string> = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`src/module_${i}.ts`, `${text(i, 4_000)}\n`]),
);

/** Explore, edit, test, repeated: read a module, search, edit one line, run a test shard. */
function trajectory(): ScriptedStep[] {
  const steps: ScriptedStep[] = [step.tool("list_files", {})];
  for (let turn = 2; turn < TURNS; turn++) {
    const k = turn % 12;
    const path = `src/module_${k}.ts`;
    const phase = turn % 4;
    if (phase === 0) steps.push(step.tool("read_file", { path }, `Reading module ${k}.`));
    else if (phase === 1) steps.push(step.tool("search", { pattern: `item_${k}_${turn}` }));
    else if (phase === 2) {
      const oldText = `item_${k}_${turn} = compute(`;
      steps.push(
        step.tool("edit_file", { path, oldText, newText: oldText.replace("compute", "computeFast") }),
      );
    } else steps.push(step.tool("run", { command: `npm test -- --shard ${turn}` }, "Running a shard."));
  }
  steps.push(step.tool("finish", { summary: "Benchmark trajectory finished." }));
  return steps;
}

function answer(command: string) {
  const shard = /--shard (\d+)/.exec(command);
  if (shard) return { stdout: text(Number(shard[1]), 6_000), exitCode: 0 };
  if (command.includes("ls-files")) return { stdout: Object.keys(files).join("\n") };
  if (command.includes("rg ")) return { stdout: `src/module_1.ts:3:${text(3, 120)}\n`.repeat(8) };
  return { stdout: "ok" };
}

interface Trial {
  requests: RecordedRequest[];
  promptTokens: number;
  /** The client's own view of each model call (audit log `latencyMs`): HTTP both ways plus the server. */
  clientLatencyMs: number[];
}

async function trial(tuning: AgentLoopTuning, stream = true): Promise<Trial> {
  const server = await startScriptedModelServer(trajectory());
  const dir = await mkdtemp(join(tmpdir(), "inhouse-bench-agent-"));
  try {
    const result = await runAgent({
      sandbox: createMemorySandbox(files, answer),
      model: { baseUrl: server.baseUrl, apiKey: "bench", model: server.model, toolCalling: "native", stream },
      task: { kind: "fix-issue", title: "Benchmark", body: "A scripted 40-turn run." },
      commands: { setup: [], test: "npm test" },
      limits: { turns: TURNS + 5, tokens: 50_000_000, minutes: 10 },
      secrets: ["bench-secret-value"],
      auditPath: join(dir, "audit.jsonl"),
      tuning,
    });
    if (result.outcome !== "finished" || result.turns !== TURNS) {
      throw new Error(
        `benchmark trajectory did not run as scripted: ${result.outcome} after ${result.turns} turns (${result.reason})`,
      );
    }
    const audit = (await readFile(join(dir, "audit.jsonl"), "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; ok?: boolean; latencyMs?: number; result?: string });
    const failedCall = audit.find((event) => event.type === "tool_call" && !event.ok);
    if (failedCall)
      throw new Error(
        `a scripted tool call failed, so the trajectory is not what it claims: ${failedCall.result}`,
      );
    const clientLatencyMs = audit.flatMap((event) =>
      event.type === "model_request" ? [event.latencyMs!] : [],
    );
    return { requests: server.requests, promptTokens: result.tokens.prompt, clientLatencyMs };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function commonPrefix(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Share of prompt bytes that repeat the previous request's start, over requests 2..n: `byBytes`
 * weighs each request by its size (the share of all prompt bytes a prefix cache can skip),
 * `perRequest` is the plain mean of each request's ratio.
 */
function prefixReuse(requests: RecordedRequest[]): { byBytes: number; perRequest: number } {
  const later = requests.slice(1);
  const shared = later.map((request, i) => commonPrefix(requests[i]!.raw, request.raw));
  const total = later.reduce((sum, request) => sum + request.raw.length, 0);
  return {
    byBytes: shared.reduce((sum, n) => sum + n, 0) / total,
    perRequest: shared.reduce((sum, n, i) => sum + n / later[i]!.raw.length, 0) / later.length,
  };
}

/** Server sends answer n → server receives request n+1: everything the agent does between two model answers. */
function overheadsMs(requests: RecordedRequest[]): number[] {
  return requests.slice(1).map((request, i) => request.receivedAt - requests[i]!.respondedAt!);
}

/**
 * The same gap without the HTTP client: subtract what the client spent on call n beyond the
 * server's own handling (sending, receiving, parsing). Derived, so only a guide.
 */
function loopOnlyMs(trial: Trial): number[] {
  return overheadsMs(trial.requests).map((gap, i) => {
    const request = trial.requests[i]!;
    const transport = (trial.clientLatencyMs[i] ?? 0) - (request.respondedAt! - request.receivedAt);
    return Math.max(0, gap - transport);
  });
}

/**
 * Time until the first text of a reply is in hand, for a model generating at a fixed rate (a
 * 2,000-character reply, one event every 2 ms on the scripted server): streamed, the first piece;
 * not streamed, the whole reply. This is what the status comment's "the model is writing" and the
 * idle-timeout safety rest on, measured side by side.
 */
async function firstTextMs(stream: boolean): Promise<number> {
  const reply = step.tool("read_file", { path: "src/module_1.ts" }, text(7, 2_000));
  const server = await startScriptedModelServer(
    Array.from({ length: 7 }, () => reply),
    { eventIntervalMs: 2 },
  );
  try {
    const client = createModelClient({
      baseUrl: server.baseUrl,
      apiKey: "bench",
      model: server.model,
      stream,
    });
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      let first: number | undefined;
      await client.complete([{ role: "user", content: "go" }], [], undefined, {
        onText: () => {
          first ??= performance.now();
        },
      });
      samples.push((first ?? performance.now()) - started);
    }
    return percentile(samples.slice(2), 50);
  } finally {
    await server.close();
  }
}

const area: BenchArea = {
  name: "agent",
  async run() {
    await trial({}); // warm-up: module loading and JIT
    const blocks = await trial({});
    const sliding = await trial({ maskEvery: 1 });
    const unmasked = await trial({ maskEvery: 0 });
    const again = await trial({});
    // The same trajectory without streaming: what server-sent events cost the loop, side by side.
    const plain = [await trial({}, false), await trial({}, false)];
    const plainSamples = plain.flatMap((t) => overheadsMs(t.requests));
    const firstStreamed = await firstTextMs(true);
    const firstPlain = await firstTextMs(false);
    const overheadSamples = [...overheadsMs(blocks.requests), ...overheadsMs(again.requests)];
    const loopOnly = [...loopOnlyMs(blocks), ...loopOnlyMs(again)];

    const reuse = prefixReuse(blocks.requests);
    const slidingReuse = prefixReuse(sliding.requests);
    const saving = 1 - blocks.promptTokens / unmasked.promptTokens;
    const p50 = percentile(overheadSamples, 50);
    const p95 = percentile(overheadSamples, 95);
    return {
      rows: [
        {
          measure: "prompt bytes reusable from the previous request (share of all bytes)",
          ours: `${round(reuse.byBytes * 100, 1)}% (block masking)`,
          naive: `${round(slidingReuse.byBytes * 100, 1)}% (mask every turn)`,
          ratio: `${round(reuse.byBytes / slidingReuse.byBytes, 2)}x`,
          goal: ">= 90%",
        },
        {
          measure: "same, without masking (the ceiling: only new turns miss)",
          ours: `${round(prefixReuse(unmasked.requests).byBytes * 100, 1)}%`,
        },
        {
          measure: "same, mean of per-request ratios",
          ours: `${round(reuse.perRequest * 100, 1)}%`,
          naive: `${round(slidingReuse.perRequest * 100, 1)}%`,
          ratio: `${round(reuse.perRequest / slidingReuse.perRequest, 2)}x`,
        },
        {
          measure: `prompt tokens over ${TURNS} turns`,
          ours: `${blocks.promptTokens} (masked)`,
          naive: `${unmasked.promptTokens} (no masking)`,
          ratio: `${round(saving * 100, 1)}% fewer`,
          goal: ">= 40% fewer",
        },
        {
          measure: "loop overhead per turn, excluding the model (memory sandbox)",
          ours: `p50 ${round(p50, 2)} ms, p95 ${round(p95, 2)} ms`,
          goal: "p50 <= 5 ms",
        },
        {
          measure: "loop overhead per turn, streamed replies vs plain JSON replies",
          ours: `p50 ${round(p50, 2)} ms (streamed)`,
          naive: `p50 ${round(percentile(plainSamples, 50), 2)} ms (not streamed)`,
          ratio: `${round(p50 / percentile(plainSamples, 50), 2)}x`,
        },
        {
          measure: "time to the first text of a 2,000-character reply (model at 2 ms per event)",
          ours: `${round(firstStreamed, 1)} ms (streamed)`,
          naive: `${round(firstPlain, 1)} ms (not streamed: the whole reply)`,
          ratio: `${round(firstPlain / firstStreamed, 1)}x sooner`,
        },
        {
          measure: "same, without the HTTP client (derived from client latency)",
          ours: `p50 ${round(percentile(loopOnly, 50), 2)} ms, p95 ${round(percentile(loopOnly, 95), 2)} ms`,
        },
      ],
      metrics: {
        "agent.prefix_reuse_ratio": round(reuse.byBytes, 4),
        "agent.prefix_reuse_per_request_ratio": round(reuse.perRequest, 4),
        "agent.masking_token_saving_ratio": round(saving, 4),
        "agent.loop_overhead_p50_ms": round(p50, 3),
        "agent.loop_overhead_nostream_p50_ms": round(percentile(plainSamples, 50), 3),
        "agent.first_text_stream_ms": round(firstStreamed, 2),
        "agent.first_text_nostream_ms": round(firstPlain, 2),
        "agent.loop_only_p50_ms": round(percentile(loopOnly, 50), 3),
      },
    };
  },
};

export default area;
