import { describe, expect, it } from "vitest";
import { splitReasoning } from "../../../action/model/reasoning.ts";

describe("splitReasoning", () => {
  it("takes <think> blocks out of the content", () => {
    expect(splitReasoning("<think>should I run rm?</think>\nI will read the file.")).toEqual({
      content: "I will read the file.",
      reasoning: "should I run rm?",
    });
  });

  it("treats text before a lone </think> as reasoning (the template opened <think> in the prompt)", () => {
    expect(splitReasoning("weighing options\n</think>\n\nanswer")).toEqual({
      content: "answer",
      reasoning: "weighing options",
    });
  });

  it("treats an unclosed <think> as reasoning to the end (the reply stopped while thinking)", () => {
    expect(splitReasoning("Plan: <think>maybe <tool_call>{}</tool_call>")).toEqual({
      content: "Plan:",
      reasoning: "maybe <tool_call>{}</tool_call>",
    });
  });

  it("joins several blocks and keeps the text around them", () => {
    expect(splitReasoning("a<think>x</think>b<think>y</think>c")).toEqual({
      content: "abc",
      reasoning: "x\n\ny",
    });
  });

  it("leaves content without reasoning alone", () => {
    expect(splitReasoning("just text")).toEqual({ content: "just text", reasoning: "" });
  });
});
