/**
 * The model matrix: each form of text tool call and each server quirk, served by a scripted server
 * that behaves like the real one, drives the loop to a verified fix of a fixture repository
 * (`finished` only when the repository's own tests pass).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import type { AgentProgress } from "../../../action/agent/types.ts";
import type { ModelSettings } from "../../../action/model/types.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createJsFixtureRepo, type FixtureRepo } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import {
  fault,
  type ScriptedModelServer,
  type ScriptedServerOptions,
  type ScriptedStep,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";
import { fixingCalls, forms, textReply } from "../../helpers/tool-call-forms.ts";

let repo: FixtureRepo;
let sandbox: Sandbox & { root: string };
let server: ScriptedModelServer | undefined;

beforeEach(async () => {
  repo = await createJsFixtureRepo();
  sandbox = await createLocalSandbox();
  await sandbox.seed(repo.dir);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await sandbox.destroy();
});

async function run(
  steps: ScriptedStep[],
  options: ScriptedServerOptions = {},
  model: Partial<ModelSettings> = {},
) {
  server = await startScriptedModelServer(steps, options);
  const auditPath = join(sandbox.root, "..", `audit-${Date.now()}-${Math.random()}.jsonl`);
  const events: AgentProgress[] = [];
  const result = await runAgent({
    sandbox,
    model: {
      baseUrl: server.baseUrl,
      apiKey: "",
      model: server.model,
      toolCalling: "auto",
      requestTimeoutMs: 5_000,
      ...model,
    },
    task: { kind: "fix-issue", title: "sum() subtracts", body: "sum(2, 3) returns -1 instead of 5." },
    commands: { setup: [], test: repo.testCommand },
    limits: { turns: 15, tokens: 2_000_000, minutes: 5 },
    secrets: [],
    auditPath,
    onProgress: (event) => events.push(event),
    tuning: { retryBaseDelayMs: 1 },
  });
  const audit = (await readFile(auditPath, "utf8"))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, audit, events, server: server! };
}

async function expectVerifiedFix(result: Awaited<ReturnType<typeof run>>["result"]) {
  expect(result.reason).toMatch(/passed/);
  expect(result).toMatchObject({ outcome: "finished", verification: { passed: true } });
  expect(await sandbox.diff()).toContain(`+  ${repo.bug.fixed}`);
}

describe("model matrix: tool-call forms", () => {
  for (const [form, writer] of Object.entries(forms)) {
    it(`fixes the bug when the model writes ${form}`, async () => {
      const { result, audit } = await run(fixingCalls(repo).map((call) => textReply(writer, call)));
      await expectVerifiedFix(result);
      expect(audit.filter((e) => e.type === "tool_call").map((e) => e.name)).toEqual([
        "list_files",
        "read_file",
        "edit_file",
        "run",
        "finish",
      ]);
      expect(audit.find((e) => e.type === "mode_change")).toMatchObject({ mode: "text" });
    });
  }

  it("answers a reply with no readable call once with the exact format, then the model recovers", async () => {
    const calls = fixingCalls(repo);
    const { result, server } = await run(
      [
        step.text("I think the bug is in sum.js; I will look at it."),
        ...calls.map((call) => textReply(forms["Hermes / Qwen <tool_call>"]!, call)),
      ],
      {},
      { toolCalling: "text" },
    );
    await expectVerifiedFix(result);
    const reminder = server.requests[1]!.body.messages.at(-1)!.content!;
    expect(reminder).toContain("called no tool");
    expect(reminder).toContain('```tool\n{"name": "read_file", "arguments": {"path": "src/index.js"}}\n```');
  });
});

describe("model matrix: server quirks", () => {
  const native = (steps: ScriptedStep[]) => steps;
  const calls = () => fixingCalls(repo).map((call) => step.tool(call.name, call.args));

  it("tool_choice/tools unsupported (vLLM without --enable-auto-tool-choice): switches to text calls", async () => {
    const hermes = forms["Hermes / Qwen <tool_call>"]!;
    const { result, audit } = await run(
      fixingCalls(repo).map((call) => textReply(hermes, call)),
      { rejectNativeTools: true },
    );
    await expectVerifiedFix(result);
    expect(String(audit.find((e) => e.type === "mode_change")?.reason)).toMatch(/--enable-auto-tool-choice/);
  });

  it("arguments as objects and calls without ids", async () => {
    const steps = fixingCalls(repo).map((call) =>
      step.tools({ name: call.name, arguments: call.args, argumentsAsObject: true, id: null }),
    );
    await expectVerifiedFix((await run(steps)).result);
  });

  it("several calls in one reply", async () => {
    const [list, read, edit, test, finish] = fixingCalls(repo).map((c) => ({
      name: c.name,
      arguments: c.args,
    }));
    const { result } = await run([step.tools(list!, read!), step.tools(edit!, test!), step.tools(finish!)]);
    await expectVerifiedFix(result);
    expect(result.turns).toBe(3);
  });

  it("a reply cut by the length limit mid-call: asks for a shorter step, then the fix goes through", async () => {
    const [list, read, edit, test, finish] = calls();
    const cut: ScriptedStep = {
      kind: "reply",
      finishReason: "length",
      toolCalls: [{ name: "edit_file", arguments: '{"path": "src/sum.js", "oldText": "ret' }],
    };
    const { result, server } = await run(native([list!, read!, cut, edit!, test!, finish!]));
    await expectVerifiedFix(result);
    expect(JSON.stringify(server.requests[3]!.body.messages.at(-1))).toMatch(/cut off by the length limit/);
  });

  it("an error inside a 200 answer: retried", async () => {
    const [list, read, ...rest] = calls();
    const { result, audit } = await run([
      list!,
      fault.errorInBody("upstream model crashed", 502),
      read!,
      ...rest,
    ]);
    await expectVerifiedFix(result);
    expect(audit.find((e) => e.type === "model_retry")).toMatchObject({
      error: expect.stringMatching(/crashed/),
    });
  });

  it("a server that ignores max_tokens: the reply is stopped at the cap and the model asked for a shorter step", async () => {
    const [list, ...rest] = calls();
    const { result, audit, server } = await run([list!, fault.endless("x"), ...rest], {}, { maxTokens: 200 });
    await expectVerifiedFix(result);
    expect(audit.find((e) => e.type === "model_request" && e.capped === true)).toBeTruthy();
    expect(server.requests[1]!.clientClosedEarly).toBe(true);
  });

  it("a stream cut off mid-reply: resumed by a retry", async () => {
    const [list, read, edit, ...rest] = calls();
    const { result, audit } = await run([list!, read!, fault.cutStream(edit!, 500), edit!, ...rest]);
    await expectVerifiedFix(result);
    expect(audit.find((e) => e.type === "model_retry")).toMatchObject({
      error: expect.stringMatching(/stream/),
    });
  });

  for (const streaming of ["reject", "ignore"] as const) {
    it(`streaming ${streaming === "reject" ? "refused" : "ignored"} by the server: falls back to plain requests`, async () => {
      const { result, audit } = await run(calls(), { streaming });
      await expectVerifiedFix(result);
      expect(audit.find((e) => e.type === "mode_change")).toMatchObject({ mode: "no-stream" });
    });
  }

  it("streams by default and reports the model writing", async () => {
    const { result, events, audit } = await run(calls());
    await expectVerifiedFix(result);
    expect(audit.filter((e) => e.type === "model_request").every((e) => e.streamed === true)).toBe(true);
    expect(events.some((e) => e.phase === "writing")).toBe(true);
  });

  it("a context window read from vLLM's model list drives the overflow guard", async () => {
    const big = fixingCalls(repo).map((call) => step.tool(call.name, call.args, "x".repeat(6_000)));
    const { result, audit } = await run(big, { info: { vllm: { maxModelLen: 5_000 } } });
    await expectVerifiedFix(result);
    expect(audit.find((e) => e.type === "start")).toMatchObject({
      contextWindow: 5_000,
      contextWindowSource: "vllm max_model_len",
    });
    expect(audit.find((e) => e.type === "context_mask")).toMatchObject({ contextWindow: 5_000 });
  });

  it("a server that silently truncates the prompt: stopped with advice once the prompt outgrows its window", async () => {
    // The first prompt fits the server's 1,000 tokens; the second, carrying a long first reply, does not.
    const { result, server } = await run(
      [step.tool("list_files", {}, "y".repeat(12_000)), step.tool("read_file", { path: repo.bug.path })],
      { truncatePromptTo: 1_000 },
    );
    expect(result.outcome).toBe("failed");
    expect(result.reason).toMatch(
      /reported 1000 prompt tokens.*silently cut the prompt.*OLLAMA_CONTEXT_LENGTH/,
    );
    expect(server.requests).toHaveLength(2);
    expect(await sandbox.diff()).toBe("");
  });
});
