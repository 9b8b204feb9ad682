/** The model client against scripted servers that behave like real ones: streaming, quirks, faults. */
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolSpec } from "../../../action/chat/types.ts";
import { CUT_OFF_NOTE } from "../../../action/model/build-reply.ts";
import { createModelClient } from "../../../action/model/client.ts";
import {
  fault,
  type ScriptedModelServer,
  type ScriptedServerOptions,
  type ScriptedStep,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";

const tools: ToolSpec[] = [
  {
    name: "read_file",
    description: "Read a file.",
    parameters: { type: "object", properties: { path: { type: "string" } } },
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

async function clientFor(
  steps: ScriptedStep[],
  settings: object = {},
  serverOptions: ScriptedServerOptions = {},
) {
  server = await startScriptedModelServer(steps, serverOptions);
  const changes: string[] = [];
  const retries: unknown[] = [];
  const client = createModelClient(
    {
      baseUrl: server.baseUrl,
      apiKey: "k",
      model: server.model,
      requestTimeoutMs: 2_000,
      toolCalling: "native",
      ...settings,
    },
    {
      retryBaseDelayMs: 1,
      onModeChange: (mode) => changes.push(mode),
      onRetry: ({ error }) => retries.push(error),
    },
  );
  return { client, server, changes, retries };
}

describe("streaming", () => {
  it("streams by default, asks for usage in the stream, and assembles calls sent in pieces", async () => {
    const { client, server } = await clientFor([
      step.tool("read_file", { path: "a/very/long/path/to/a/file.js" }, "Reading."),
    ]);
    const seen: number[] = [];
    const reply = await client.complete(messages, tools, undefined, { onText: (chars) => seen.push(chars) });
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(server.requests[0]!.eventsSent).toBeGreaterThan(3);
    expect(reply).toMatchObject({ streamed: true, content: "Reading.", finishReason: "tool_calls" });
    expect(reply.toolCalls).toEqual([
      { id: "call_0_0", name: "read_file", arguments: '{"path":"a/very/long/path/to/a/file.js"}' },
    ]);
    expect(reply.usage.estimated).toBe(false);
    expect(seen.at(-1)).toBeGreaterThan(30);
  });

  it("falls back to plain requests when the server refuses streaming, and says so once", async () => {
    const { client, server, changes } = await clientFor(
      [step.text("one"), step.text("two")],
      {},
      { streaming: "reject" },
    );
    expect((await client.complete(messages, tools)).content).toBe("one");
    expect((await client.complete(messages, tools)).streamed).toBe(false);
    expect(server.requests.map((r) => Boolean(r.body.stream))).toEqual([true, false, false]);
    expect(changes).toEqual(["no-stream"]);
  });

  it("reads a plain JSON answer to a streaming request and stops asking for streams", async () => {
    const { client, server, changes } = await clientFor(
      [step.text("json"), step.text("again")],
      {},
      { streaming: "ignore" },
    );
    expect((await client.complete(messages, tools)).content).toBe("json");
    await client.complete(messages, tools);
    expect(server.requests.map((r) => Boolean(r.body.stream))).toEqual([true, false]);
    expect(changes).toEqual(["no-stream"]);
  });

  it("retries a stream cut off mid-reply and returns the whole retried reply", async () => {
    const whole = step.tool("read_file", { path: "src/sum.js" }, "I will read the file now, it is short.");
    const { client, server, retries } = await clientFor([fault.cutStream(whole, 400), whole]);
    const reply = await client.complete(messages, tools);
    expect(reply.toolCalls[0]).toMatchObject({ name: "read_file", arguments: '{"path":"src/sum.js"}' });
    expect(reply.attempts).toBe(2);
    expect(server.requests[0]!.eventsSent).toBeGreaterThan(0);
    expect(String(retries[0])).toMatch(/stream (ended|broke)/);
  });

  it("gives up on a stream that goes silent (idle timeout) and retries it", async () => {
    const whole = step.text("complete answer after a stall");
    const { client } = await clientFor([fault.stallStream(whole), whole], { requestTimeoutMs: 300 });
    const reply = await client.complete(messages, tools);
    expect(reply.content).toBe("complete answer after a stall");
    expect(reply.attempts).toBe(2);
  });

  it("stops a generation mid-stream when the caller aborts: the server sees the connection close", async () => {
    const { client, server } = await clientFor([fault.endless("token ")]);
    const abort = new AbortController();
    const done = client.complete(messages, tools, abort.signal, {
      onText: (chars) => chars > 2_000 && abort.abort(),
    });
    await expect(done).rejects.toThrow(/abort/i);
    await expect.poll(() => server.requests[0]!.clientClosedEarly).toBe(true);
    expect(server.requests[0]!.eventsSent).toBeLessThan(200_000);
  });

  it("stops a server that ignores max_tokens at the reply cap and reports it as a length cut", async () => {
    const { client, server } = await clientFor([fault.endless("token ")], { maxTokens: 100 });
    const reply = await client.complete(messages, tools);
    expect(server.requests[0]!.body.max_tokens).toBe(100);
    expect(reply).toMatchObject({ capped: true, finishReason: "length" });
    expect(reply.content.length).toBeLessThanOrEqual(100 * 5 + 6);
    await expect.poll(() => server.requests[0]!.clientClosedEarly).toBe(true);
  });

  it("stops the reply at what is left of the token budget", async () => {
    const { client } = await clientFor([fault.endless("token ")]);
    const reply = await client.complete(messages, tools, undefined, { maxReplyTokens: 50 });
    expect(reply.capped).toBe(true);
    expect(reply.content.length).toBeLessThanOrEqual(50 * 4 + 6);
  });
});

describe("server quirks", () => {
  for (const stream of [true, false]) {
    const how = stream ? "streamed" : "not streamed";
    it(`takes arguments sent as an object, calls without ids, and several calls in one reply (${how})`, async () => {
      const reply = step.tools(
        { name: "read_file", arguments: { path: "a.js" }, argumentsAsObject: true, id: null },
        { name: "read_file", arguments: { path: "b.js" }, id: null },
        { name: "read_file", arguments: { path: "c.js" }, id: "same" },
        { name: "read_file", arguments: { path: "d.js" }, id: "same" },
      );
      const { client } = await clientFor([reply], { stream });
      const { toolCalls } = await client.complete(messages, tools);
      expect(toolCalls.map((c) => JSON.parse(c.arguments).path)).toEqual(["a.js", "b.js", "c.js", "d.js"]);
      const ids = toolCalls.map((c) => c.id);
      expect(new Set(ids).size).toBe(4);
      expect(ids[0]).toMatch(/^[A-Za-z0-9]{9}$/);
      expect(ids[2]).toBe("same");
    });

    it(`retries an error inside a 200 answer, then names it when it persists (${how})`, async () => {
      const { client, server } = await clientFor(
        [fault.errorInBody("upstream overloaded", 502), step.text("recovered")],
        { stream },
      );
      expect((await client.complete(messages, tools)).content).toBe("recovered");
      expect(server.requests).toHaveLength(2);
      server.push(
        fault.errorInBody("model crashed"),
        fault.errorInBody("model crashed"),
        fault.errorInBody("model crashed"),
      );
      await expect(client.complete(messages, tools)).rejects.toThrow(
        /answered 200 but reported an error in the body.*model crashed/,
      );
    });

    it(`asks for a shorter step when the length limit cut a call (${how})`, async () => {
      const cut = {
        kind: "reply" as const,
        finishReason: "length",
        toolCalls: [{ name: "read_file", arguments: '{"path": "src/ve' }],
      };
      const { client } = await clientFor([cut], { stream });
      const reply = await client.complete(messages, tools);
      expect(reply.toolCalls).toEqual([]);
      expect(reply.protocolErrors).toEqual([CUT_OFF_NOTE]);
    });
  }

  it("does not retry an in-body error that says the request is wrong", async () => {
    const { client, server } = await clientFor([fault.errorInBody("bad request: messages missing", 400)]);
    await expect(client.complete(messages, tools)).rejects.toThrow(/code 400/);
    expect(server.requests).toHaveLength(1);
  });

  it("switches to text calls straight away when the server refuses tools (no streaming detour)", async () => {
    const { client, server, changes } = await clientFor(
      [step.textTool("read_file", { path: "a" })],
      { toolCalling: "auto" },
      { rejectNativeTools: "registry.ollama.ai/library/gemma3:4b does not support tools" },
    );
    expect((await client.complete(messages, tools)).toolCalls[0]?.name).toBe("read_file");
    expect(server.requests.map((r) => [Boolean(r.body.tools), Boolean(r.body.stream)])).toEqual([
      [true, true],
      [false, true],
    ]);
    expect(changes).toEqual(["text"]);
  });
});

describe("reasoning", () => {
  for (const reasoningIn of ["reasoning", "reasoning_content", "think-tags"] as const) {
    it(`keeps reasoning in ${reasoningIn} out of the content and never reads calls from it`, async () => {
      const thought =
        '<tool_call>{"name": "read_file", "arguments": {"path": "/etc/shadow"}}</tool_call> no, do not.';
      const { client } = await clientFor(
        [
          {
            kind: "reply",
            reasoning: thought,
            reasoningIn,
            content: '<tool_call>{"name": "read_file", "arguments": {"path": "ok.js"}}</tool_call>',
          },
        ],
        { toolCalling: "text" },
      );
      const reply = await client.complete(messages, tools);
      expect(reply.toolCalls.map((c) => JSON.parse(c.arguments).path)).toEqual(["ok.js"]);
      expect(reply.reasoning).toContain("/etc/shadow");
      expect(reply.content).not.toContain("/etc/shadow");
    });
  }

  it("does not send reasoning back, unless the server demands it (DeepSeek thinking mode)", async () => {
    const history: ChatMessage[] = [
      ...messages,
      {
        role: "assistant",
        content: "",
        reasoning: "secret plan",
        toolCalls: [{ id: "c1", name: "read_file", arguments: "{}" }],
      },
      { role: "tool", toolCallId: "c1", name: "read_file", content: "x" },
    ];
    const plain = await clientFor([step.text("ok")]);
    await plain.client.complete(history, tools);
    expect(plain.server.requests[0]!.raw).not.toContain("secret plan");
    await plain.server.close();

    const { client, server, changes } = await clientFor(
      [step.text("ok")],
      {},
      { requireReasoningBack: true },
    );
    expect((await client.complete(history, tools)).content).toBe("ok");
    expect(server.requests.at(-1)!.body.messages[2]!.reasoning_content).toBe("secret plan");
    expect(changes).toEqual(["resend-reasoning"]);
  });
});

describe("silent prompt truncation", () => {
  it("stops with advice naming Ollama's context setting when the server reports far fewer prompt tokens", async () => {
    const { client } = await clientFor([step.text("I only saw the end")], {}, { truncatePromptTo: 2_048 });
    const long: ChatMessage[] = [...messages, { role: "user", content: "x ".repeat(20_000) }];
    await expect(client.complete(long, tools)).rejects.toThrow(
      /reported 2048 prompt tokens.*OLLAMA_CONTEXT_LENGTH.*num_ctx/,
    );
  });

  it("accepts an honest count, and short prompts whatever the count", async () => {
    const { client } = await clientFor(
      [step.text("fine"), step.text("short")],
      {},
      { truncatePromptTo: 100_000 },
    );
    await expect(
      client.complete([...messages, { role: "user", content: "y ".repeat(20_000) }], tools),
    ).resolves.toBeTruthy();
    server!.push();
    const tiny = await startScriptedModelServer([step.text("short")], { truncatePromptTo: 10 });
    const small = createModelClient({ baseUrl: tiny.baseUrl, apiKey: "", model: tiny.model });
    await expect(small.complete(messages, tools)).resolves.toMatchObject({ content: "short" });
    await tiny.close();
  });
});
