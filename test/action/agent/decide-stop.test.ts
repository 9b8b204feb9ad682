import { describe, expect, it } from "vitest";
import {
  checkBeforeBudgetStop,
  decideStop,
  judgeFinish,
  NO_TOOL_NUDGE,
} from "../../../action/agent/decide-stop.ts";
import { NO_TOOL_REPLIES_BEFORE_STUCK } from "../../../action/agent/stuck-detector.ts";
import { openTurnFixture, replyWith } from "./turn-fixture.ts";

const failingTests = (command: string) =>
  command === "npm test" ? { exitCode: 1, stdout: "not ok 1 - sum adds\n  expected 5, got -1" } : {};

function lastUserMessage(messages: { role: string; content: string }[]): string | undefined {
  return messages.filter((m) => m.role === "user").at(-1)?.content;
}

describe("judgeFinish", () => {
  it("accepts a finish only when the test command passes, and records the verification", async () => {
    const { run, session, commands } = await openTurnFixture();
    expect(await judgeFinish(run, session)).toEqual({
      outcome: "finished",
      reason: "The model finished and `npm test` passed.",
    });
    expect(commands).toContain("npm test");
    expect(run.verification).toMatchObject({ command: "npm test", passed: true });
  });

  it("sends the failing tests back instead of finishing", async () => {
    const { run, session } = await openTurnFixture({ answer: failingTests });
    const judged = await judgeFinish(run, session);
    expect(typeof judged).toBe("string");
    expect(judged).toContain("the test command `npm test` failed (exit code 1)");
    expect(judged).toContain("expected 5, got -1");
  });

  it.each([
    [{ kind: "review" as const }, "The review finished with 0 inline comments."],
    [{ kind: "fix-issue" as const, reportsFindings: true }, "The automation finished with 0 findings."],
  ])("accepts a read-only run's finish without running the tests (%o)", async (task, reason) => {
    const { run, session, commands } = await openTurnFixture({ task, answer: failingTests });
    expect(await judgeFinish(run, session)).toEqual({ outcome: "finished", reason });
    expect(commands).not.toContain("npm test");
  });

  it("finishes unverified, and says so, when no test command is known", async () => {
    const { run, session } = await openTurnFixture({ commands: { test: undefined } });
    expect(session.testCommand).toBeUndefined();
    expect(await judgeFinish(run, session)).toEqual({
      outcome: "finished",
      reason: "The model finished; no test command is known, so nothing was verified.",
    });
  });
});

describe("decideStop", () => {
  it("reminds the model of the call format once, then nudges, then stops it as stuck", async () => {
    const { run, session } = await openTurnFixture();
    const noCall = replyWith({ content: "I think the bug is in sum.", toolCalls: [] });
    expect(await decideStop(run, session, 1, noCall, { notes: [] })).toBeUndefined();
    expect(lastUserMessage(session.conversation.render(1))).toMatch(/^Your reply called no tool/);
    for (let turn = 2; turn <= NO_TOOL_REPLIES_BEFORE_STUCK; turn++) {
      expect(await decideStop(run, session, turn, noCall, { notes: [] })).toBeUndefined();
      expect(lastUserMessage(session.conversation.render(turn))).toBe(NO_TOOL_NUDGE);
    }
    const stop = await decideStop(run, session, NO_TOOL_REPLIES_BEFORE_STUCK + 1, noCall, { notes: [] });
    expect(stop).toEqual({
      outcome: "stuck",
      reason: `Stopped: the model answered ${NO_TOOL_REPLIES_BEFORE_STUCK} times in a row without calling a tool or finishing; the changes made so far are kept.`,
    });
  });

  it("keeps going after a finish whose tests fail, with every note in one message in order", async () => {
    const { run, session } = await openTurnFixture({ answer: failingTests });
    const reply = replyWith({
      toolCalls: [{ id: "c1", name: "finish", arguments: '{"summary":"fixed"}' }],
      protocolErrors: ["A block could not be read as a call."],
    });
    const stop = await decideStop(run, session, 1, reply, {
      notes: ["Rules from pkg/AGENTS.md …"],
      finishSummary: "fixed",
    });
    expect(stop).toBeUndefined();
    expect(run.summary).toBe("fixed");
    const parts = lastUserMessage(session.conversation.render(1))?.split("\n\n") ?? [];
    expect(parts[0]).toBe("A block could not be read as a call.");
    expect(parts[1]).toBe("Rules from pkg/AGENTS.md …");
    expect(parts[2]).toMatch(/^You called finish, but the test command `npm test` failed/);
  });

  it("adds no message when there is nothing to say", async () => {
    const { run, session } = await openTurnFixture();
    const before = session.conversation.length;
    const reply = replyWith({ toolCalls: [{ id: "c1", name: "run", arguments: '{"command":"ls"}' }] });
    expect(await decideStop(run, session, 1, reply, { notes: [] })).toBeUndefined();
    expect(session.conversation.length).toBe(before);
  });
});

describe("checkBeforeBudgetStop", () => {
  const budgetStop = { outcome: "budget" as const, reason: "Stopped: out of turns" };

  it("runs the tests once more so the result says where the kept work stands", async () => {
    const { run, session, commands } = await openTurnFixture({ answer: failingTests });
    await checkBeforeBudgetStop(run, session, budgetStop);
    expect(commands.filter((c) => c === "npm test")).toHaveLength(1);
    expect(run.verification).toMatchObject({ passed: false, exitCode: 1 });
  });

  it("runs nothing for another kind of stop, a read-only run, or with under 5 s left", async () => {
    const failed = await openTurnFixture();
    await checkBeforeBudgetStop(failed.run, failed.session, { outcome: "failed", reason: "x" });
    const review = await openTurnFixture({ task: { kind: "review" } });
    await checkBeforeBudgetStop(review.run, review.session, budgetStop);
    const late = await openTurnFixture();
    late.run.budget.remainingMs = () => 4_000;
    await checkBeforeBudgetStop(late.run, late.session, budgetStop);
    for (const fixture of [failed, review, late]) {
      expect(fixture.commands).not.toContain("npm test");
      expect(fixture.run.verification).toBeUndefined();
    }
  });
});
