/** The scripted model server's own rules, each checked on the wire with plain fetch (sources in the server's files). */
import { afterEach, describe, expect, it } from "vitest";
import {
  fault,
  type ScriptedModelServer,
  type ScriptedServerOptions,
  startScriptedModelServer,
  step,
} from "./scripted-model-server.ts";
import type { ScriptedStep } from "./scripted-replies.ts";

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(steps: ScriptedStep[], body: object, options: ScriptedServerOptions = {}) {
  server = await startScriptedModelServer(steps, options);
  const response = await fetch(`${server.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: server.model, messages: [{ role: "user", content: "hi" }], ...body }),
  });
  return { response, text: await response.text().catch((error: Error) => `<<${error.message}>>`) };
}

function events(text: string): string[] {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((event) => event.replace(/^data: /, ""));
}

describe("scripted model server", () => {
  it("streams server-sent events: role first, pieces, finish_reason, usage only when asked, then [DONE]", async () => {
    const reply = step.tool("read_file", { path: "a-long-path/to/the/file.js" }, "Reading the file now.");
    const plain = await post([reply], { stream: true });
    expect(plain.response.headers.get("content-type")).toBe("text/event-stream");
    const chunks = events(plain.text);
    expect(chunks.at(-1)).toBe("[DONE]");
    const parsed = chunks.slice(0, -1).map((c) => JSON.parse(c));
    expect(parsed[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(parsed.at(-1).choices[0].finish_reason).toBe("tool_calls");
    expect(parsed.some((c) => c.usage)).toBe(false);
    const args = parsed
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((t) => t.function.arguments)
      .join("");
    expect(JSON.parse(args)).toEqual({ path: "a-long-path/to/the/file.js" });
    await server!.close();
    const withUsage = await post([reply], { stream: true, stream_options: { include_usage: true } });
    const last = JSON.parse(events(withUsage.text).at(-2)!);
    expect(last).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number) } });
  });

  it("waits for an async step: the reply is what its promise gives", async () => {
    let looked = false;
    const later = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      looked = true;
      return step.text("after looking");
    };
    const answer = await post([later], {});
    expect(looked).toBe(true);
    expect(JSON.parse(answer.text).choices[0].message.content).toBe("after looking");
  });

  it("puts reasoning where each server does", async () => {
    for (const reasoningIn of ["reasoning", "reasoning_content", "think-tags"] as const) {
      const { text } = await post([{ kind: "reply", content: "ok", reasoning: "hmm", reasoningIn }], {});
      const message = JSON.parse(text).choices[0].message;
      if (reasoningIn === "think-tags") expect(message.content).toBe("<think>hmm</think>\nok");
      else expect(message[reasoningIn]).toBe("hmm");
      await server!.close();
    }
  });

  it("sends calls without ids and arguments as objects when told to", async () => {
    const { text } = await post(
      [step.tools({ name: "x", arguments: { a: 1 }, id: null, argumentsAsObject: true })],
      {},
    );
    expect(JSON.parse(text).choices[0].message.tool_calls[0]).toEqual({
      type: "function",
      function: { name: "x", arguments: { a: 1 } },
    });
  });

  it("answers a streaming request with JSON when it ignores streaming, and 400 when it refuses it", async () => {
    const ignored = await post([step.text("a")], { stream: true }, { streaming: "ignore" });
    expect(ignored.response.headers.get("content-type")).toBe("application/json");
    await server!.close();
    const refused = await post([step.text("a")], { stream: true }, { streaming: "reject" });
    expect(refused.response.status).toBe(400);
  });

  it("reports at most truncatePromptTo prompt tokens (Ollama past num_ctx)", async () => {
    const { text } = await post(
      [step.text("a")],
      { messages: [{ role: "user", content: "x".repeat(40_000) }] },
      { truncatePromptTo: 2_048 },
    );
    expect(JSON.parse(text).usage.prompt_tokens).toBe(2_048);
  });

  it("puts an error in a 200 body, as JSON or as a stream event", async () => {
    const json = await post([fault.errorInBody("overloaded", 502)], {});
    expect(json.response.status).toBe(200);
    expect(JSON.parse(json.text)).toEqual({ error: { message: "overloaded", code: 502 } });
    await server!.close();
    const sse = await post([fault.errorInBody("overloaded")], { stream: true });
    expect(JSON.parse(events(sse.text)[0]!)).toEqual({ error: { message: "overloaded" } });
  });

  it("cuts a stream mid-reply, without [DONE]", async () => {
    const { text } = await post([fault.cutStream(step.text("a fairly long answer ".repeat(20)), 600)], {
      stream: true,
    });
    expect(text).not.toContain("[DONE]");
    expect(server!.requests[0]!.eventsSent).toBeGreaterThan(0);
  });

  it("refuses tools like vLLM without --enable-auto-tool-choice, and a missing reasoning_content like DeepSeek", async () => {
    const tools = await post(
      [step.text("a")],
      { tools: [{ type: "function", function: { name: "x" } }] },
      { rejectNativeTools: true },
    );
    expect(tools.response.status).toBe(400);
    expect(tools.text).toContain("--enable-auto-tool-choice");
    await server!.close();
    const history = [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "1", type: "function", function: { name: "x", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "1", content: "r" },
    ];
    const deepseek = await post([step.text("a")], { messages: history }, { requireReasoningBack: true });
    expect(deepseek.response.status).toBe(400);
    expect(deepseek.text).toMatch(/reasoning_content.*must be passed back/);
  });

  it("reports context windows where vLLM, llama.cpp and Ollama do", async () => {
    server = await startScriptedModelServer([], {
      info: {
        vllm: { maxModelLen: 32_768 },
        llamaCpp: { nCtx: 8_192 },
        ollama: { architecture: "qwen2", trainedContext: 32_768, numCtx: 16_384 },
      },
    });
    const root = server.baseUrl.replace(/\/v1$/, "");
    const models = (await (await fetch(`${server.baseUrl}/models`)).json()) as { data: object[] };
    expect(models.data[0]).toMatchObject({ id: server.model, max_model_len: 32_768 });
    const props = (await (await fetch(`${root}/props`)).json()) as {
      default_generation_settings: { n_ctx: number };
    };
    expect(props.default_generation_settings.n_ctx).toBe(8_192);
    const showResponse = await fetch(`${root}/api/show`, {
      method: "POST",
      body: JSON.stringify({ model: server.model }),
    });
    const show = (await showResponse.json()) as { model_info: Record<string, number>; parameters: string };
    expect(show.model_info["qwen2.context_length"]).toBe(32_768);
    expect(show.parameters).toMatch(/num_ctx\s+16384/);
  });

  it("generates at a fixed rate when paced: events arrive one by one; a plain reply is held back as long", async () => {
    const reply = step.text("word ".repeat(40)); // role, 9 content events, finish: 11
    server = await startScriptedModelServer([reply, reply], { eventIntervalMs: 40 });
    const url = `${server.baseUrl}/chat/completions`;
    const body = (stream: boolean) =>
      JSON.stringify({ model: server!.model, stream, messages: [{ role: "user", content: "hi" }] });
    const streamed = await fetch(url, { method: "POST", body: body(true) });
    const reader = streamed.body!.getReader();
    await reader.read();
    // The first event is in hand while the server is still generating the rest.
    expect(server.requests[0]!.respondedAt).toBeUndefined();
    while (!(await reader.read()).done);
    expect(server.requests[0]!.eventsSent).toBe(11);
    await (await fetch(url, { method: "POST", body: body(false) })).json();
    const plain = server.requests[1]!;
    expect(plain.respondedAt! - plain.receivedAt).toBeGreaterThanOrEqual(11 * 40 - 2);
  });
});
