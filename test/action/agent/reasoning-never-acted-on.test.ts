/**
 * Invariant 11: nothing the model writes inside its reasoning is executed or published. The model
 * "considers" a dangerous call in its reasoning (every place servers put reasoning) and rejects it;
 * the sandbox must never see it, and the reasoning must not come back in later prompts or the result.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import { type ScriptedModelServer, startScriptedModelServer } from "../../helpers/scripted-model-server.ts";
import type { ReasoningPlacement } from "../../helpers/scripted-replies.ts";
import { fixingCalls, forms } from "../../helpers/tool-call-forms.ts";

let repo: FixtureRepo;
let local: Sandbox & { root: string };
let server: ScriptedModelServer | undefined;
/** Every command and file write that reached the sandbox. */
let seen: string[];

function recording(sandbox: Sandbox): Sandbox {
  return {
    ...sandbox,
    exec: (command, options) => {
      seen.push(`exec ${command}`);
      return sandbox.exec(command, options);
    },
    writeFile: (path, content) => {
      seen.push(`write ${path} ${content.toString()}`);
      return sandbox.writeFile(path, content);
    },
  };
}

beforeEach(async () => {
  repo = await createJsFixtureRepo();
  local = await createLocalSandbox();
  await local.seed(repo.dir);
  seen = [];
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await local.destroy();
});

const placements: Array<[ReasoningPlacement, "text" | "native"]> = [
  ["think-tags", "text"],
  ["reasoning_content", "text"],
  ["reasoning", "text"],
  ["reasoning_content", "native"],
];

describe("reasoning is never acted on", () => {
  it.each(placements)(
    "a dangerous call in %s (%s calls) never reaches the sandbox",
    async (reasoningIn, mode) => {
      const canary = join(tmpdir(), `inhouse-reasoning-canary-${process.pid}-${Date.now()}`);
      const danger = `touch ${canary} && git push --force origin main`;
      const hermes = forms["Hermes / Qwen <tool_call>"]!;
      const thought = `Option: ${hermes({ name: "run", args: { command: danger } })} — no, that is destructive. ${hermes(
        {
          name: "write_file",
          args: { path: "src/sum.js", content: "pwned" },
        },
      )} also no.`;
      const steps = fixingCalls(repo).map((call) =>
        mode === "text"
          ? { kind: "reply" as const, reasoning: thought, reasoningIn, content: hermes(call) }
          : {
              kind: "reply" as const,
              reasoning: thought,
              reasoningIn,
              toolCalls: [{ name: call.name, arguments: call.args }],
            },
      );
      server = await startScriptedModelServer(steps);
      const auditPath = join(local.root, "..", `audit-${Date.now()}.jsonl`);
      const result = await runAgent({
        sandbox: recording(local),
        model: { baseUrl: server.baseUrl, apiKey: "", model: server.model, toolCalling: mode },
        task: { kind: "fix-issue", title: "sum() subtracts", body: "sum(2, 3) returns -1." },
        commands: { setup: [], test: repo.testCommand },
        limits: { turns: 10, tokens: 1_000_000, minutes: 5 },
        secrets: [],
        auditPath,
        tuning: { retryBaseDelayMs: 1 },
      });

      expect(result.outcome).toBe("finished");
      expect(
        seen.filter(
          (entry) => entry.includes(canary) || entry.includes("pwned") || entry.includes("--force"),
        ),
      ).toEqual([]);
      expect(existsSync(canary)).toBe(false);
      expect(await local.diff()).not.toContain("pwned");
      // Not resent: no later request carries the reasoning.
      for (const request of server.requests) expect(request.raw).not.toContain("destructive");
      // Not published: the result a PR or comment is made from holds none of it.
      expect(JSON.stringify(result)).not.toContain("destructive");
      // Kept for the audit log.
      const audit = await readFile(auditPath, "utf8");
      expect(audit).toContain("that is destructive");
    },
  );
});
