import { describe, expect, it } from "vitest";
import { FINISH_CAME_FIRST, runToolCalls, touchedPath } from "../../../action/agent/run-tool-calls.ts";
import type { ChatMessage } from "../../../action/chat/types.ts";
import { call, openTurnFixture } from "./turn-fixture.ts";

const toolMessages = (messages: ChatMessage[]) =>
  messages.filter((m): m is Extract<ChatMessage, { role: "tool" }> => m.role === "tool");

describe("runToolCalls", () => {
  it("runs nothing after finish and answers each later call 'Not run'", async () => {
    const { run, session, audit, commands } = await openTurnFixture();
    const done = await runToolCalls(run, session, 1, [
      call("c1", "finish", { summary: "done" }),
      call("c2", "run", { command: "rm -rf src" }),
    ]);
    expect(done.finishSummary).toBe("done");
    expect(commands).not.toContain("rm -rf src");
    const answers = toolMessages(session.conversation.render(1));
    expect(answers.map((m) => [m.toolCallId, m.content])).toEqual([
      ["c1", expect.any(String)],
      ["c2", FINISH_CAME_FIRST],
    ]);
    expect(audit).toContainEqual(expect.objectContaining({ type: "tool_call_not_run", id: "c2" }));
  });

  it("answers the calls past the per-reply cap 'Not run' and runs the first ones", async () => {
    const { run, session, commands } = await openTurnFixture({ limits: { callsPerTurn: 2 } });
    const calls = [1, 2, 3].map((i) => call(`c${i}`, "run", { command: `echo ${i}` }));
    await runToolCalls(run, session, 1, calls);
    expect(commands.filter((c) => c.includes("echo"))).toHaveLength(2);
    const third = toolMessages(session.conversation.render(1)).find((m) => m.toolCallId === "c3");
    expect(third?.content).toMatch(/^Not run: this reply has 3 tool calls and a turn runs at most 2/);
  });

  it("ends the task on a sandbox that is gone and runs no later call", async () => {
    const fixture = await openTurnFixture({ files: { "a.js": "x" } });
    fixture.run.options.sandbox.readFile = async () => {
      throw new Error("container 1234 is not running");
    };
    const done = await runToolCalls(fixture.run, fixture.session, 1, [
      call("c1", "read_file", { path: "a.js" }),
      call("c2", "run", { command: "echo after" }),
    ]);
    expect(done.fatal).toEqual({
      outcome: "failed",
      reason:
        "The read_file tool hit an error that ends the task: read_file failed: container 1234 is not running",
    });
    expect(fixture.commands).not.toContain("echo after");
  });

  it("brings a nested AGENTS.md's rules with the first file read under it, once", async () => {
    const { run, session } = await openTurnFixture({
      files: { "pkg/AGENTS.md": "Use tabs in pkg.", "pkg/a.js": "a", "pkg/b.js": "b", "top.js": "t" },
      answer: (command) => (command.startsWith("git ls-files") ? { stdout: "pkg/AGENTS.md\n" } : {}),
    });
    const first = await runToolCalls(run, session, 1, [
      call("c1", "read_file", { path: "top.js" }),
      call("c2", "read_file", { path: "pkg/a.js" }),
    ]);
    expect(first.notes).toEqual([
      "Rules from pkg/AGENTS.md apply to files under that directory:\n\nUse tabs in pkg.",
    ]);
    const second = await runToolCalls(run, session, 2, [call("c3", "read_file", { path: "pkg/b.js" })]);
    expect(second.notes).toEqual([]);
  });

  it("caps the observation the model sees and tells it when it repeats a failing call", async () => {
    const { run, session, progress } = await openTurnFixture({
      files: { "big.txt": "line\n".repeat(5_000) },
      tuning: { observationMaxChars: 500 },
    });
    await runToolCalls(run, session, 1, [call("c1", "read_file", { path: "big.txt" })]);
    await runToolCalls(run, session, 2, [call("c2", "read_file", { path: "missing.js" })]);
    await runToolCalls(run, session, 3, [call("c3", "read_file", { path: "missing.js" })]);
    const [big, firstMiss, secondMiss] = toolMessages(session.conversation.render(3));
    expect(big?.content.length).toBeLessThan(600);
    expect(big?.content).toContain("characters cut from the middle");
    expect(firstMiss?.content).not.toContain("Do not repeat it");
    expect(secondMiss?.content).toContain("exact read_file call 2 times and it failed each time");
    expect(progress.filter((e) => e.phase === "tool").map((e) => e.phase === "tool" && e.ok)).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe("touchedPath", () => {
  it.each([
    ["read_file", '{"path":"src/a.js"}', "src/a.js"],
    ["edit_file", '{"path":"b.py","old":"x","new":"y"}', "b.py"],
    ["write_file", '{"path":"c.md","content":""}', "c.md"],
    ["run", '{"command":"cat src/a.js"}', undefined],
    ["read_file", "not json", undefined],
    ["read_file", '{"path":42}', undefined],
  ])("%s %s -> %s", (name, args, expected) => {
    expect(touchedPath(name, args)).toBe(expected);
  });
});
