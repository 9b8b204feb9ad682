import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { AgentProgress, AgentRunOptions } from "../../../action/agent/types.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import {
  fault,
  type ScriptedModelServer,
  type ScriptedStep,
  startScriptedModelServer,
  step,
  transcript,
} from "../../helpers/scripted-model-server.ts";
import { finishTooEarlyTrajectory, fixingTrajectory } from "../../helpers/trajectories.ts";

let repo: FixtureRepo;
let sandbox: Sandbox & { root: string };
let server: ScriptedModelServer | undefined;

beforeEach(async () => {
  repo = await createJsFixtureRepo({ "AGENTS.md": "# Rules\n\nAlways use semicolons.\n" });
  sandbox = await createLocalSandbox();
  await sandbox.seed(repo.dir);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await sandbox.destroy();
});

type Overrides = Omit<Partial<AgentRunOptions>, "model"> & { model?: Partial<AgentRunOptions["model"]> };

async function run(steps: ScriptedStep[], { model, ...overrides }: Overrides = {}, serverOptions = {}) {
  server = await startScriptedModelServer(steps, serverOptions);
  const events: AgentProgress[] = [];
  const auditPath = join(sandbox.root, "..", `audit-${Date.now()}-${Math.random()}.jsonl`);
  const result = await runAgent({
    sandbox,
    model: {
      baseUrl: server.baseUrl,
      apiKey: "sk-model-key-123456",
      model: server.model,
      toolCalling: "native",
      ...model,
    },
    task: { kind: "fix-issue", title: "sum() subtracts", body: "sum(2, 3) returns -1 instead of 5." },
    // The fixture's own command: faster than the `npm test` the resolver would pick (tested once below).
    commands: { setup: [], test: repo.testCommand },
    limits: { turns: 20, tokens: 1_000_000, minutes: 5 },
    secrets: ["sk-model-key-123456", "ghs_token_abcdef"],
    auditPath,
    onProgress: (event) => events.push(event),
    tuning: { retryBaseDelayMs: 1 },
    ...overrides,
  });
  const audit = (await readFile(auditPath, "utf8").catch(() => ""))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, events, audit, server: server! };
}

describe("runAgent", () => {
  it("fixes the bug, verifies with the test command, and reports turns, tokens and the summary", async () => {
    const { result, events, audit, server } = await run(fixingTrajectory(repo), { commands: { setup: [] } });
    expect(result).toMatchObject({
      outcome: "finished",
      turns: 5,
      summary: "Fixed the operator in src/sum.js.",
    });
    expect(result.reason).toContain("`npm test` passed");
    expect(result.verification).toMatchObject({ command: "npm test", passed: true, exitCode: 0 });
    expect(result.tokens.total).toBeGreaterThan(0);
    expect(result.tokens.estimated).toBe(false);
    expect(await sandbox.diff()).toContain("+  return a + b;");

    const system = server.requests[0]!.body.messages[0]!.content!;
    expect(system).toContain("Always use semicolons.");
    expect(system).toContain("The test command is `npm test`");
    expect(server.requests[0]!.body.messages[1]!.content).toContain("sum(2, 3) returns -1");
    expect(server.requests[0]!.body.tools?.map((t) => t.function.name)).toContain("edit_file");

    expect(events[0]).toEqual({ phase: "turn", turn: 1, maxTurns: 20 });
    expect(events).toContainEqual({ phase: "verifying", command: "npm test" });
    expect(events.at(-1)).toEqual({ phase: "done", outcome: "finished" });
    expect(audit.filter((e) => e.type === "model_request")).toHaveLength(5);
    expect(audit.filter((e) => e.type === "tool_call").map((e) => e.name)).toEqual([
      "list_files",
      "read_file",
      "edit_file",
      "run",
      "finish",
    ]);
  });

  it("sends a finish with failing tests back to the model with the failure, then accepts the fix", async () => {
    const { result, server } = await run(finishTooEarlyTrajectory(repo));
    expect(result.outcome).toBe("finished");
    expect(result.verification?.passed).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(transcript(server.requests[2]!)).toContain(
      "test command `node --test test/` failed (exit code 1)",
    );
  });

  it("stops at the turn budget, keeps the partial work, and says which limit ended it", async () => {
    const { result } = await run(fixingTrajectory(repo).slice(0, 3), {
      limits: { turns: 3, tokens: 1_000_000, minutes: 5 },
    });
    expect(result.outcome).toBe("budget");
    expect(result.reason).toMatch(/turn budget of 3 turns ran out \(limits\.turns\).*kept/);
    expect(await sandbox.diff()).toContain("+  return a + b;");
    expect(result.verification?.passed).toBe(true);
  });

  it("stops at the token budget", async () => {
    const { result } = await run(fixingTrajectory(repo), {
      limits: { turns: 20, tokens: 1_000, minutes: 5 },
    });
    expect(result.outcome).toBe("budget");
    expect(result.reason).toMatch(/token budget of 1000 tokens/);
    expect(result.turns).toBeLessThan(5);
  });

  it("ends as stuck when the model repeats the same call with the same result", async () => {
    const { result, server } = await run(step.repeat(step.tool("read_file", { path: "README.md" }), 10), {
      tuning: { stuckAfterRepeats: 4 },
    });
    expect(result.outcome).toBe("stuck");
    expect(result.reason).toMatch(/same read_file call with the same result 4 times/);
    expect(server.requests).toHaveLength(4);
  });

  it("feeds an unknown tool, malformed arguments and an ambiguous edit back to the model", async () => {
    const steps: ScriptedStep[] = [
      step.tool("delete_everything", {}),
      step.malformedTool("read_file"),
      step.tool("edit_file", { path: "test/sum.test.js", oldText: "import", newText: "export" }),
      ...fixingTrajectory(repo).slice(2),
    ];
    const { result, server } = await run(steps);
    expect(result.outcome).toBe("finished");
    const seen = (n: number) => server.requests[n]!.body.messages.at(-1)!.content!;
    expect(seen(1)).toMatch(/Unknown tool 'delete_everything'\. Available tools: list_files/);
    expect(seen(2)).toMatch(/arguments of read_file are not valid JSON/);
    expect(seen(3)).toMatch(/oldText occurs 3 times in test\/sum\.test\.js/);
  });

  it("tells the model when it repeats a failing call", async () => {
    const bad = step.tool("read_file", { path: "missing.js" });
    const { server } = await run([
      bad,
      bad,
      step.tool("finish", { summary: "x" }),
      ...fixingTrajectory(repo),
    ]);
    expect(server.requests[2]!.body.messages.at(-1)!.content).toMatch(
      /made this exact read_file call 2 times/,
    );
  });

  it("runs the whole loop with the text tool protocol", async () => {
    const steps = [
      step.textTool("read_file", { path: repo.bug.path }, "Let me look."),
      step.textTool("edit_file", { path: repo.bug.path, oldText: repo.bug.broken, newText: repo.bug.fixed }),
      step.textTool("finish", { summary: "Fixed." }),
    ];
    const { result, server } = await run(steps, { model: { toolCalling: "text" } });
    expect(result.outcome).toBe("finished");
    expect(result.verification?.passed).toBe(true);
    expect(server.requests[0]!.body.tools).toBeUndefined();
    expect(server.requests[0]!.body.messages[0]!.content).toContain("## How to call tools");
    expect(server.requests[1]!.body.messages.at(-1)).toMatchObject({ role: "user" });
    expect(server.requests[1]!.body.messages.at(-1)!.content).toContain("[result of read_file");
  });

  it("collects review comments and offers no write tools in a review", async () => {
    const steps = [
      step.tool("review_comment", {
        path: repo.bug.path,
        line: 2,
        body: "This subtracts.",
        suggestion: "  return a + b;",
      }),
      step.tool("finish", { summary: "One problem found." }),
    ];
    const { result, server } = await run(steps, {
      task: { kind: "review", title: "Add sum()", body: "Adds a sum helper." },
    });
    expect(result.outcome).toBe("finished");
    expect(result.verification).toBeUndefined();
    expect(result.reviewComments).toEqual([
      { path: "src/sum.js", line: 2, body: "This subtracts.", suggestion: "  return a + b;" },
    ]);
    const offered = server.requests[0]!.body.tools!.map((t) => t.function.name);
    expect(offered).toContain("review_comment");
    expect(offered).not.toContain("edit_file");
  });

  it("fails with the endpoint's advice when the model rejects the key", async () => {
    const { result } = await run([fault.status(401, "invalid api key")]);
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(/answered 401.*check the API key/);
  });

  it("recovers from a rate limit and a server error inside one turn", async () => {
    const { result, audit } = await run([fault.rateLimit(0), fault.serverError(), ...fixingTrajectory(repo)]);
    expect(result.outcome).toBe("finished");
    expect(result.turns).toBe(5);
    expect(audit.filter((e) => e.type === "model_retry")).toHaveLength(2);
  });

  it("redacts every secret the run knows from the audit log", async () => {
    const { audit } = await run([
      step.tool("run", { command: "echo ghs_token_abcdef; echo sk-model-key-123456" }),
      step.tool("finish", { summary: "Token ghs_token_abcdef used." }),
      ...fixingTrajectory(repo).slice(2),
    ]);
    const text = JSON.stringify(audit);
    expect(text).not.toContain("ghs_token_abcdef");
    expect(text).not.toContain("sk-model-key-123456");
    expect(text).toContain("***");
  });

  it("stops when the caller aborts, as a budget stop", async () => {
    const controller = new AbortController();
    const { result } = await run([fault.hang()], {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === "turn") setImmediate(() => controller.abort());
      },
    });
    expect(result.outcome).toBe("budget");
    expect(result.reason).toMatch(/cancelled/);
  });

  it("masks old results early when the next request would overflow the context window", async () => {
    const print = (char: string) => step.tool("run", { command: `printf '${char}%.0s' $(seq 1 9000)` });
    const { result, server, audit } = await run(
      [print("a"), print("b"), step.tool("finish", { summary: "x" })],
      {
        model: { contextWindow: 6_000 },
        commands: { setup: [], test: "true" },
      },
    );
    expect(result.outcome).toBe("finished");
    expect(server.requests[1]!.raw).not.toContain("elided");
    expect(transcript(server.requests[2]!)).toMatch(
      /\[output of `printf 'a%\.0s' \$\(seq 1 9000\)` elided, \d+ chars/,
    );
    expect(transcript(server.requests[2]!)).toContain("b".repeat(100));
    expect(audit.find((e) => e.type === "context_mask")).toMatchObject({ turn: 3, contextWindow: 6_000 });
  });

  it("hands the model a nested AGENTS.md when it first touches a file under it", async () => {
    await sandbox.writeFile("src/AGENTS.md", "# src rules\n\nExport named functions only.\n");
    await sandbox.exec("git add -A && git -c user.name=t -c user.email=t@t commit -qm rules");
    const { server } = await run([
      step.tool("read_file", { path: "README.md" }),
      step.tool("read_file", { path: repo.bug.path }),
      ...fixingTrajectory(repo).slice(2),
    ]);
    expect(transcript(server.requests[1]!)).not.toContain("Export named functions only.");
    expect(server.requests[2]!.body.messages.at(-1)).toMatchObject({ role: "user" });
    expect(server.requests[2]!.body.messages.at(-1)!.content).toMatch(
      /^Rules from src\/AGENTS\.md apply to files under that directory:[\s\S]*Export named functions only\./,
    );
    expect(transcript(server.requests[3]!).match(/Export named functions only/g)).toHaveLength(1);
  });

  it("runs setup commands first and tells the model about the ones that failed", async () => {
    const { server, events } = await run(fixingTrajectory(repo), {
      commands: {
        setup: ["echo ready > .setup-done", "echo 'no network' >&2; exit 7"],
        test: repo.testCommand,
      },
    });
    expect(events.slice(0, 2)).toEqual([
      { phase: "setup", command: "echo ready > .setup-done" },
      { phase: "setup", command: "echo 'no network' >&2; exit 7" },
    ]);
    expect((await sandbox.readFile(".setup-done")).toString()).toBe("ready\n");
    expect(server.requests[0]!.body.messages[1]!.content).toMatch(
      /Setup problems[\s\S]*exit code 7[\s\S]*no network/,
    );
  });
});
