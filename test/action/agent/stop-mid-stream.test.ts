/** `/agent stop` (the caller's abort) and the token budget stop a generation while it streams. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { AgentProgress, AgentRunOptions } from "../../../action/agent/types.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import {
  fault,
  type ScriptedModelServer,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";

let repo: FixtureRepo;
let sandbox: Sandbox & { root: string };
let server: ScriptedModelServer;

beforeEach(async () => {
  repo = await createJsFixtureRepo();
  sandbox = await createLocalSandbox();
  await sandbox.seed(repo.dir);
  server = await startScriptedModelServer([step.tool("list_files", {}), fault.endless("lorem ")]);
});
afterEach(async () => {
  await server.close();
  await sandbox.destroy();
});

function options(overrides: Partial<AgentRunOptions>): AgentRunOptions {
  return {
    sandbox,
    model: { baseUrl: server.baseUrl, apiKey: "", model: server.model, toolCalling: "native" },
    task: { kind: "fix-issue", title: "sum() subtracts", body: "sum(2, 3) returns -1." },
    commands: { setup: [], test: repo.testCommand },
    limits: { turns: 10, tokens: 1_000_000, minutes: 5 },
    secrets: [],
    tuning: { retryBaseDelayMs: 1 },
    ...overrides,
  };
}

describe("a generation stopped mid-stream", () => {
  it("by /agent stop: the loop ends as cancelled and the server sees the connection close", async () => {
    const stop = new AbortController();
    const onProgress = (event: AgentProgress) => {
      if (event.phase === "writing" && event.turn === 2) stop.abort(new Error("/agent stop"));
    };
    const result = await runAgent(options({ signal: stop.signal, onProgress }));
    expect(result).toMatchObject({ outcome: "budget", turns: 2 });
    expect(result.reason).toContain("the run was cancelled");
    await expect.poll(() => server.requests[1]?.clientClosedEarly).toBe(true);
    expect(server.requests[1]!.eventsSent).toBeLessThan(200_000);
  });

  it("by the token budget: the reply is cut where the budget runs out and its calls are not run", async () => {
    const result = await runAgent(options({ limits: { turns: 10, tokens: 8_000, minutes: 5 } }));
    expect(result.outcome).toBe("budget");
    expect(result.reason).toMatch(/token budget of 8000 tokens/);
    expect(result.turns).toBe(2);
    await expect.poll(() => server.requests[1]?.clientClosedEarly).toBe(true);
    expect(result.tokens.total).toBeLessThan(8_000 * 1.2);
  });
});
