import { describe, expect, it } from "vitest";
import { Conversation } from "../../../action/agent/conversation.ts";
import { capObservation } from "../../../action/agent/observation.ts";
import { renderNative } from "../../../action/model/render-messages.ts";

const bigOutput = (turn: number) => `output of turn ${turn}\n${"x".repeat(2_000)}`;

function playTurns(conversation: Conversation, turns: number): string[] {
  const requests: string[] = [];
  for (let turn = 1; turn <= turns; turn++) {
    requests.push(JSON.stringify(renderNative(conversation.render(turn))));
    const call = { id: `call_${turn}`, name: "run", arguments: `{"command":"step ${turn}"}` };
    conversation.append({ role: "assistant", content: "", toolCalls: [call] }, turn);
    conversation.append(
      { role: "tool", toolCallId: call.id, name: "run", content: bigOutput(turn) },
      turn,
      `step ${turn}`,
    );
  }
  return requests;
}

describe("Conversation", () => {
  it("keeps each request a byte prefix of the next between mask events", () => {
    const conversation = new Conversation("system", "task", {
      maskEvery: 4,
      keepRecentTurns: 2,
      minCharsToMask: 100,
    });
    const requests = playTurns(conversation, 16);
    const maskEvents = [6, 10, 14];
    for (let turn = 2; turn <= 16; turn++) {
      const previous = requests[turn - 2]!.slice(0, -1); // drop the closing bracket of the array
      const isPrefix = requests[turn - 1]!.startsWith(previous);
      expect(isPrefix, `turn ${turn}`).toBe(!maskEvents.includes(turn));
    }
  });

  it("replaces old results with a placeholder naming the command and keeps recent ones whole", () => {
    const conversation = new Conversation("system", "task", {
      maskEvery: 4,
      keepRecentTurns: 2,
      minCharsToMask: 100,
    });
    playTurns(conversation, 9);
    const rendered = conversation.render(10);
    const toolContents = rendered.filter((m) => m.role === "tool").map((m) => m.content);
    expect(toolContents[0]).toBe("[output of `step 1` elided, 2017 chars; run it again if you need it]");
    expect(toolContents.slice(0, 8).every((c) => c.startsWith("[output of"))).toBe(true);
    expect(toolContents[8]).toContain("output of turn 9");
  });

  it("never masks with maskEvery 0, and leaves short results alone", () => {
    const off = new Conversation("s", "t", { maskEvery: 0, keepRecentTurns: 0, minCharsToMask: 0 });
    playTurns(off, 10);
    expect(
      off
        .render(11)
        .filter((m) => m.role === "tool")
        .every((m) => m.content.startsWith("output of")),
    ).toBe(true);
    const short = new Conversation("s", "t", { maskEvery: 1, keepRecentTurns: 0, minCharsToMask: 5_000 });
    playTurns(short, 5);
    expect(short.render(6).some((m) => m.role === "tool" && m.content.startsWith("[output"))).toBe(false);
  });
});

describe("capObservation", () => {
  it("keeps head and tail and says how much was cut", () => {
    const text = `HEAD${"m".repeat(50_000)}TAIL`;
    const capped = capObservation(text, 10_000);
    expect(capped.startsWith("HEAD")).toBe(true);
    expect(capped.endsWith("TAIL")).toBe(true);
    expect(capped).toContain("[... 40008 characters cut from the middle ...]");
    expect(capObservation("short", 10_000)).toBe("short");
  });
});
