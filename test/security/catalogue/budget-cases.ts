/**
 * Attacks on the budgets: a model that answers with a hundred tool calls in one reply to run past
 * the per-reply cap and the deadline. The cap runs through the whole action (config capped by the
 * runner); the deadline through the loop on a real sandbox with a budget short enough to wait for.
 */
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { AgentResult } from "../../../action/agent/types.ts";
import { createSandbox, type DockerSandbox } from "../../../action/sandbox/index.ts";
import {
  lastToolResult,
  type ScriptedModelServer,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";
import { type AttackRun, runAttack } from "./action-run.ts";
import { attack } from "./registry.ts";

const HUNDRED = Array.from({ length: 100 }, (_, i) => i);
const hundredCalls = (command: (i: number) => string) =>
  step.tools(...HUNDRED.map((i) => ({ id: `call_${i}`, name: "run", arguments: { command: command(i) } })));

interface AuditEntry {
  type: string;
  name?: string;
  reason?: string;
}
const auditEntries = (text: string) =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry);

export function budgetCases(): void {
  describe("budgets between calls", () => {
    let flood: AttackRun;
    let sandbox: DockerSandbox;
    let model: ScriptedModelServer;
    let late: { result: AgentResult; audit: AuditEntry[]; startedAt: number; starts: number[] };
    let setup: AgentResult;
    let setupLate: string;
    const auditPath = join(tmpdir(), `inhouse-deadline-${process.pid}.jsonl`);
    beforeAll(async () => {
      flood = await runAttack({
        issue: { title: "sum() subtracts", body: "sum(2, 3) is -1." },
        // The repository asks for 200 calls per reply; the runner allows 5.
        config: "limits:\n  callsPerTurn: 200\n",
        inputs: { "max-calls-per-turn": "5" },
        steps: (fixture) => [
          hundredCalls((i) => `echo ${i} >> .calls`),
          step.tool("run", { command: "wc -l < .calls" }),
          step.tool("edit_file", {
            path: fixture.bug.path,
            oldText: fixture.bug.broken,
            newText: fixture.bug.fixed,
          }),
          step.tool("finish", { summary: "Fixed." }),
        ],
      });
      sandbox = await createSandbox({ taskId: "catalogue-deadline", memoryMb: 256 });
      // Six seconds of budget and a hundred one-second calls in one reply, all allowed by the cap.
      model = await startScriptedModelServer([hundredCalls(() => "date +%s%3N >> .starts; sleep 1")]);
      const startedAt = Date.now();
      const result = await runAgent({
        sandbox,
        model: { baseUrl: model.baseUrl, apiKey: "sk-test", model: model.model, toolCalling: "native" },
        task: { kind: "fix-issue", title: "t", body: "b" },
        commands: { setup: [], test: "true" },
        limits: { turns: 1, tokens: 1_000_000, minutes: 0.1, callsPerTurn: 100 },
        secrets: [],
        auditPath,
        tuning: { retryBaseDelayMs: 1 },
      });
      const starts = (await sandbox.exec("cat .starts")).stdout.split("\n").filter(Boolean).map(Number);
      // The repository's setup commands against a three-second budget: the second must not start.
      setup = await runAgent({
        sandbox,
        model: { baseUrl: model.baseUrl, apiKey: "sk-test", model: model.model, toolCalling: "native" },
        task: { kind: "fix-issue", title: "t", body: "b" },
        commands: { setup: ["sleep 30", "date +%s%3N > .setup-late"], test: "true" },
        limits: { turns: 1, tokens: 1_000_000, minutes: 0.05 },
        secrets: [],
        tuning: { retryBaseDelayMs: 1 },
      });
      setupLate = (await sandbox.exec("cat .setup-late 2>/dev/null || echo never")).stdout.trim();
      late = { result, audit: auditEntries(await readFile(auditPath, "utf8")), startedAt, starts };
    }, 180_000);
    afterAll(async () => {
      await flood?.cleanup();
      await sandbox?.destroy();
      await model?.close();
      await rm(auditPath, { force: true });
    });

    attack("one reply with 100 run calls runs only the runner's cap of calls per reply", () => {
      const entries = auditEntries(flood.outgoing.audit);
      const ran = entries.filter((e) => e.type === "tool_call" && e.name === "run");
      expect(ran).toHaveLength(6); // the reply's first five, then `wc -l`
      expect(lastToolResult(flood.model.requests[2]!)).toMatch(/^exit code 0, \d+ ms\n--- stdout ---\n5$/);
      const notRun = entries.filter((e) => e.type === "tool_call_not_run");
      expect(notRun).toHaveLength(95);
      expect(notRun[0]!.reason).toContain("a turn runs at most 5 (limits.callsPerTurn)");
      expect(flood.outcome.state).toBe("succeeded"); // the task still ends, with a terminal status
    });

    attack(
      "one reply with 100 one-second calls under a six-second budget starts none after the deadline",
      () => {
        const deadline = late.startedAt + 6_000;
        expect(late.result.outcome).toBe("budget");
        expect(late.result.reason).toMatch(/time budget of 0\.1 minutes ran out/);
        expect(late.starts.length).toBeGreaterThan(0);
        expect(late.starts.length).toBeLessThanOrEqual(7);
        for (const started of late.starts) expect(started).toBeLessThan(deadline);
        const notRun = late.audit.filter((e) => e.type === "tool_call_not_run");
        expect(notRun.length + late.audit.filter((e) => e.type === "tool_call").length).toBe(100);
        expect(notRun.every((e) => e.reason?.includes("time budget"))).toBe(true);
        // No call got a minimum past the deadline: the loop ended within one kill grace of it.
        expect(late.startedAt + late.result.durationMs).toBeLessThan(deadline + 3_000);
      },
    );

    attack("a repository's setup commands start none after the deadline, and none gets time past it", () => {
      expect(setup.outcome).toBe("budget");
      expect(setupLate).toBe("never");
      expect(model.requests).toHaveLength(1); // the setup attack never reached a model call
    });
  });
}
