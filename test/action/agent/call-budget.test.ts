/**
 * Budgets between tool calls: one reply cannot run more calls than the per-reply cap, and no call
 * starts, or is given time, past the deadline. Real loop, scripted model server, host sandbox.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { AgentLimits } from "../../../action/agent/types.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import {
  type RecordedRequest,
  type ScriptedModelServer,
  type ScriptedStep,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";

let sandbox: Sandbox & { root: string };
let server: ScriptedModelServer | undefined;

beforeEach(async () => {
  sandbox = await createLocalSandbox();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await sandbox.destroy();
});

async function run(steps: ScriptedStep[], limits: AgentLimits, setup: string[] = []) {
  server = await startScriptedModelServer(steps);
  const auditPath = join(sandbox.root, "..", `audit-${Date.now()}-${Math.random()}.jsonl`);
  const result = await runAgent({
    sandbox,
    model: { baseUrl: server.baseUrl, apiKey: "sk-test", model: server.model, toolCalling: "native" },
    task: { kind: "fix-issue", title: "t", body: "b" },
    commands: { setup, test: "true" },
    limits,
    secrets: [],
    auditPath,
    tuning: { retryBaseDelayMs: 1 },
  });
  const audit = (await readFile(auditPath, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; reason?: string; name?: string });
  return { result, audit, server };
}

const toolMessages = (request: RecordedRequest) => request.body.messages.filter((m) => m.role === "tool");
const runCalls = (commands: string[]) =>
  step.tools(...commands.map((command, i) => ({ id: `call_${i}`, name: "run", arguments: { command } })));

describe("budgets between calls", () => {
  it("runs at most callsPerTurn calls of one reply and answers every other call 'Not run'", async () => {
    const appends = Array.from({ length: 7 }, (_, i) => `echo ${i} >> calls.txt`);
    const { result, audit, server } = await run(
      [runCalls(appends), step.tool("finish", { summary: "done" })],
      {
        turns: 5,
        tokens: 1_000_000,
        minutes: 5,
        callsPerTurn: 3,
      },
    );
    expect(result.outcome).toBe("finished");
    expect((await sandbox.readFile("calls.txt")).toString()).toBe("0\n1\n2\n");
    const answers = toolMessages(server.requests[1]!);
    expect(answers).toHaveLength(7);
    expect(answers.slice(3).map((m) => m.content)).toEqual(
      Array(4).fill(
        "Not run: this reply has 7 tool calls and a turn runs at most 3 (limits.callsPerTurn); send the rest in your next reply.",
      ),
    );
    expect(answers.slice(3).map((m) => m.tool_call_id)).toEqual(["call_3", "call_4", "call_5", "call_6"]);
    expect(audit.filter((e) => e.type === "tool_call" && e.name === "run")).toHaveLength(3);
    expect(audit.filter((e) => e.type === "tool_call_not_run")).toHaveLength(4);
  });

  it("checks the deadline before every call and gives no call time past it", async () => {
    // Six seconds of budget; the first call would sleep far past it, the next two must not start.
    const sleeps = ["sleep 30; echo 0 >> ran.txt", "echo 1 >> ran.txt", "sleep 5; echo 2 >> ran.txt"];
    const { result, audit, server } = await run([runCalls(sleeps)], {
      turns: 1,
      tokens: 1_000_000,
      minutes: 0.1,
      callsPerTurn: 50,
    });
    expect(result.outcome).toBe("budget");
    expect(result.reason).toMatch(/time budget of 0\.1 minutes ran out \(limits\.minutes\)/);
    expect(server.requests).toHaveLength(1);
    const ran = audit.filter((e) => e.type === "tool_call");
    expect(ran).toHaveLength(1);
    expect(JSON.stringify(ran[0])).toMatch(/timed out after \d+ s \(killed\)/);
    expect(audit.filter((e) => e.type === "tool_call_not_run").map((e) => e.reason)).toEqual([
      "Not run: the time budget of 0.1 minutes ran out (limits.minutes).",
      "Not run: the time budget of 0.1 minutes ran out (limits.minutes).",
    ]);
    await expect(sandbox.readFile("ran.txt")).rejects.toThrow();
  });

  it("starts no setup command after the deadline", async () => {
    const { result, audit, server } = await run(
      [step.text("never asked")],
      { turns: 5, tokens: 1_000_000, minutes: 0.05 },
      ["sleep 30", "echo ran > setup.txt"],
    );
    expect(result.outcome).toBe("budget");
    expect(audit.filter((e) => e.type === "setup")).toHaveLength(1);
    await expect(sandbox.readFile("setup.txt")).rejects.toThrow();
    expect(server.requests).toHaveLength(0);
  });
});
