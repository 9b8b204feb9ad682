import { describe, expect, it } from "vitest";
import { createStuckDetector } from "../../../action/agent/stuck-detector.ts";

describe("stuck detector", () => {
  it("counts the same call with the same result regardless of key order", () => {
    const detector = createStuckDetector(3);
    detector.recordCall(
      { id: "1", name: "run", arguments: '{"command":"ls","timeoutSeconds":5}' },
      true,
      "a",
    );
    detector.recordCall(
      { id: "2", name: "run", arguments: '{"timeoutSeconds":5, "command":"ls"}' },
      true,
      "a",
    );
    expect(detector.stuckReason()).toBeUndefined();
    detector.recordCall(
      { id: "3", name: "run", arguments: '{"command":"ls","timeoutSeconds":5}' },
      true,
      "a",
    );
    expect(detector.stuckReason()).toMatch(/same run call with the same result 3 times/);
  });

  it("resets when the result changes", () => {
    const detector = createStuckDetector(2);
    detector.recordCall({ id: "1", name: "run", arguments: '{"command":"date"}' }, true, "10:00");
    detector.recordCall({ id: "2", name: "run", arguments: '{"command":"date"}' }, true, "10:01");
    expect(detector.stuckReason()).toBeUndefined();
  });

  it("notes a repeated failure and ends after replies without tool calls", () => {
    const detector = createStuckDetector();
    const call = { id: "1", name: "read_file", arguments: '{"path":"x"}' };
    expect(detector.recordCall(call, false, "missing")).toBeUndefined();
    expect(detector.recordCall(call, false, "missing")).toMatch(/2 times/);
    expect(detector.recordReplyWithoutCalls()).toBe("remind");
    for (let i = 0; i < 3; i++) expect(detector.recordReplyWithoutCalls()).toBe("counted");
    expect(detector.stuckReason()).toMatch(/3 times in a row without calling a tool/);
  });

  it("reminds once per streak of replies without calls: the reminder does not count towards stuck", () => {
    const detector = createStuckDetector();
    expect(detector.recordReplyWithoutCalls()).toBe("remind");
    expect(detector.recordReplyWithoutCalls()).toBe("counted");
    expect(detector.recordReplyWithoutCalls()).toBe("counted");
    expect(detector.stuckReason()).toBeUndefined();
    detector.recordCall({ id: "1", name: "list_files", arguments: "{}" }, true, "a.js");
    expect(detector.recordReplyWithoutCalls()).toBe("remind");
  });
});
