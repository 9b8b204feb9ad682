import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolSpec } from "../../../action/chat/types.ts";
import { createModelClient } from "../../../action/model/client.ts";
import {
  fault,
  type ScriptedModelServer,
  type ScriptedStep,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file.",
    parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] },
  },
];
const messages: ChatMessage[] = [
  { role: "system", content: "You are a coding agent." },
  { role: "user", content: "Fix the bug." },
];

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(steps: ScriptedStep[], settings: object = {}, serverOptions = {}) {
  server = await startScriptedModelServer(steps, serverOptions);
  const retries: number[] = [];
  const client = createModelClient(
    {
      baseUrl: server.baseUrl,
      apiKey: "test-key",
      model: server.model,
      requestTimeoutMs: 2_000,
      ...settings,
    },
    { retryBaseDelayMs: 5, onRetry: ({ delayMs }) => retries.push(delayMs) },
  );
  return { client, retries, server };
}

describe("model client", () => {
  it("sends native tools and returns the calls and the server's token usage", async () => {
    const { client, server } = await clientFor([step.tool("read_file", { path: "a.js" })], {
      toolCalling: "native",
    });
    const reply = await client.complete(messages, tools);
    expect(reply.toolCalls).toEqual([{ id: "call_0_0", name: "read_file", arguments: '{"path":"a.js"}' }]);
    expect(reply.usage.estimated).toBe(false);
    expect(reply.usage.prompt).toBe(Math.ceil(server.requests[0]!.raw.length / 4));
    expect(server.requests[0]!.body.tools?.map((t) => t.function.name)).toEqual(["read_file"]);
    expect(server.requests[0]!.headers.authorization).toBe("Bearer test-key");
  });

  it("estimates usage when the server sends none, and says so", async () => {
    const { client } = await clientFor([step.text("done")], {}, { usage: "omit" });
    const reply = await client.complete(messages, tools);
    expect(reply.usage.estimated).toBe(true);
    expect(reply.usage.prompt).toBeGreaterThan(10);
    expect(reply.usage.completion).toBe(1);
  });

  it("retries a 429 after the server's retry-after, and a 500, within three attempts", async () => {
    const { client, retries, server } = await clientFor([
      fault.rateLimit(0.05),
      fault.serverError(),
      step.text("ok"),
    ]);
    const reply = await client.complete(messages, tools);
    expect(reply.content).toBe("ok");
    expect(reply.attempts).toBe(3);
    expect(retries[0]).toBe(50);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after three attempts with advice naming what to check", async () => {
    const { client, server } = await clientFor([
      fault.serverError(),
      fault.serverError(502),
      fault.serverError(503),
      step.text("late"),
    ]);
    await expect(client.complete(messages, tools)).rejects.toThrow(
      /answered 503.*after 3 attempts; check its logs/,
    );
    expect(server.requests).toHaveLength(3);
  });

  it("retries a request that hangs past the timeout", async () => {
    const { client, server } = await clientFor([fault.hang(), step.text("after the hang")], {
      requestTimeoutMs: 300,
    });
    const reply = await client.complete(messages, tools);
    expect(reply.content).toBe("after the hang");
    expect(server.requests).toHaveLength(2);
  });

  it("names the base URL when nothing listens there", async () => {
    const client = createModelClient(
      { baseUrl: "http://127.0.0.1:9/v1", apiKey: "", model: "m", requestTimeoutMs: 1_000 },
      { retryBaseDelayMs: 1 },
    );
    await expect(client.complete(messages, tools)).rejects.toThrow(
      /127\.0\.0\.1:9\/v1 could not be reached.*baseUrl/,
    );
  });

  it("does not retry a 401 and says to check the key", async () => {
    const { client, server } = await clientFor([fault.status(401, "bad key")], { toolCalling: "native" });
    await expect(client.complete(messages, tools)).rejects.toThrow(/401.*check the API key/);
    expect(server.requests).toHaveLength(1);
  });

  it("text mode describes the tools in the system prompt and parses fenced and tagged calls", async () => {
    const tagged = {
      kind: "reply" as const,
      content: '<tool_call>{"name":"read_file","arguments":{"path":"b.js"}}</tool_call>',
    };
    const { client, server } = await clientFor(
      [step.textTool("read_file", { path: "a.js" }, "Reading."), tagged],
      {
        toolCalling: "text",
      },
    );
    const first = await client.complete(messages, tools);
    expect(first.toolCalls).toEqual([{ id: "call_1_1", name: "read_file", arguments: '{"path":"a.js"}' }]);
    expect(server.requests[0]!.body.tools).toBeUndefined();
    expect(server.requests[0]!.body.messages[0]!.content).toContain("## How to call tools");
    const second = await client.complete(
      [
        ...messages,
        { role: "assistant", content: first.content, toolCalls: first.toolCalls },
        { role: "tool", toolCallId: "call_1_1", name: "read_file", content: "1: x" },
      ],
      tools,
    );
    expect(second.toolCalls[0]?.arguments).toBe('{"path":"b.js"}');
    const roles = server.requests[1]!.body.messages.map((m) => m.role);
    expect(roles).toEqual(["system", "user", "assistant", "user"]);
  });

  it("text mode reports a block that is not JSON as a protocol error for the model", async () => {
    const { client } = await clientFor([{ kind: "reply", content: "```tool\n{name: read_file}\n```" }], {
      toolCalling: "text",
    });
    const reply = await client.complete(messages, tools);
    expect(reply.toolCalls).toEqual([]);
    expect(reply.protocolErrors[0]).toMatch(/not valid JSON/);
  });

  it("auto mode falls back to text when the server rejects tools with a 400", async () => {
    const changes: string[] = [];
    server = await startScriptedModelServer([step.textTool("read_file", { path: "a.js" })], {
      rejectNativeTools: true,
    });
    const client = createModelClient(
      { baseUrl: server.baseUrl, apiKey: "", model: server.model, toolCalling: "auto" },
      { onModeChange: (mode) => changes.push(mode) },
    );
    const reply = await client.complete(messages, tools);
    expect(reply.mode).toBe("text");
    expect(reply.toolCalls[0]?.name).toBe("read_file");
    expect(client.mode).toBe("text");
    expect(changes).toEqual(["text"]);
    expect(server.requests.map((r) => Boolean(r.body.tools))).toEqual([true, false]);
  });

  it("auto mode switches to text when the model writes calls as text despite native tools", async () => {
    const { client } = await clientFor([step.textTool("read_file", { path: "c.js" })], {
      toolCalling: "auto",
    });
    const reply = await client.complete(messages, tools);
    expect(reply.toolCalls[0]?.arguments).toBe('{"path":"c.js"}');
    expect(client.mode).toBe("text");
  });
});
