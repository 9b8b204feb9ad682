import { describe, expect, it } from "vitest";
import type { ToolSpec } from "../../../action/chat/types.ts";
import { Negotiation } from "../../../action/model/negotiation.ts";
import type { ModelReply, ModelSettings } from "../../../action/model/types.ts";

const settings: ModelSettings = { baseUrl: "http://model/v1", apiKey: "", model: "m" };
const tools: ToolSpec[] = [{ name: "run", description: "Run a command", parameters: { type: "object" } }];

function negotiate(overrides: Partial<ModelSettings> = {}) {
  const changes: string[] = [];
  const negotiation = new Negotiation({ ...settings, ...overrides }, (what, reason) =>
    changes.push(`${what}: ${reason}`),
  );
  const state = () => ({
    mode: negotiation.mode,
    streaming: negotiation.streaming,
    resendReasoning: negotiation.resendReasoning,
  });
  return { negotiation, changes, state };
}

describe("Negotiation", () => {
  it("starts from the profile", () => {
    expect(negotiate().state()).toEqual({ mode: "native", streaming: true, resendReasoning: false });
    expect(negotiate({ toolCalling: "text", stream: false, resendReasoning: true }).state()).toEqual({
      mode: "text",
      streaming: false,
      resendReasoning: true,
    });
  });

  it.each([
    // [what the server said, adapted?, state after, change reported]
    [
      "This model's maximum context length is 8192 tokens",
      false,
      { mode: "native", streaming: true },
      undefined,
    ],
    [
      "The `reasoning_content` in the thinking mode must be passed back to the API.",
      true,
      { resendReasoning: true },
      "resend-reasoning",
    ],
    ["stream is not supported", true, { mode: "native", streaming: false }, undefined],
    [
      '"auto" tool choice requires --enable-auto-tool-choice',
      true,
      { mode: "text", streaming: true },
      "text",
    ],
  ])("after a refusal saying %j: adapts %s", (message, adapted, after, change) => {
    const { negotiation, changes, state } = negotiate();
    expect(negotiation.adaptTo(new Error(message), tools)).toBe(adapted);
    expect(state()).toMatchObject(after);
    expect(changes.map((c) => c.split(":")[0])).toEqual(change ? [change] : []);
  });

  it("tries without streaming first, then text calls with streaming back on, then gives up", () => {
    const { negotiation, changes, state } = negotiate();
    expect(negotiation.adaptTo(new Error("Bad request"), tools)).toBe(true);
    expect(state()).toMatchObject({ mode: "native", streaming: false });
    expect(negotiation.adaptTo(new Error("Bad request"), tools)).toBe(true);
    expect(state()).toMatchObject({ mode: "text", streaming: true });
    expect(negotiation.adaptTo(new Error("Bad request"), tools)).toBe(false);
    expect(changes).toEqual(["text: the server rejected native tools: Bad request"]);
  });

  it("never leaves the tool protocol the profile fixed", () => {
    const { negotiation } = negotiate({ toolCalling: "native", stream: false });
    expect(negotiation.adaptTo(new Error("tools are not supported"), tools)).toBe(false);
    expect(negotiation.mode).toBe("native");
  });

  it("reports streaming turned off once, for the call during which it happened", () => {
    const { negotiation, changes } = negotiate();
    negotiation.streamIgnored();
    negotiation.reportStreamChange(true);
    negotiation.reportStreamChange(false);
    expect(changes).toEqual(["no-stream: the server answered a streaming request with a plain JSON body"]);
  });

  it("reads calls a model wrote as text despite native tools, and stays in text", () => {
    const { negotiation, changes } = negotiate();
    const reply = {
      content: '```tool\n{"name": "run", "arguments": {"command": "ls"}}\n```',
      toolCalls: [],
      protocolErrors: [],
      mode: "native",
    } as unknown as ModelReply;
    const read = negotiation.readCallsWrittenAsText(reply, tools, "call_1");
    expect(read.toolCalls).toMatchObject([{ name: "run", arguments: '{"command":"ls"}' }]);
    expect(read.mode).toBe("text");
    expect(negotiation.mode).toBe("text");
    expect(changes).toEqual(["text: the model wrote its tool calls as text"]);
    const plain = { ...reply, content: "All done." } as ModelReply;
    expect(negotiation.readCallsWrittenAsText(plain, tools, "call_2")).toBe(plain);
  });
});
