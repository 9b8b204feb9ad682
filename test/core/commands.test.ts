import { describe, expect, it } from "vitest";
import { commandNames, helpText, parseCommand } from "../../core/commands.ts";

describe("parseCommand: what counts as a command", () => {
  it.each(commandNames)("reads /agent %s", (name) => {
    expect(parseCommand(`/agent ${name}`)).toEqual({ name, text: "" });
  });

  it("reads a command on a later line", () => {
    expect(parseCommand("Thanks for the report.\n/agent fix")).toEqual({ name: "fix", text: "" });
  });

  it("takes the first command when there are several", () => {
    expect(parseCommand("/agent review\n/agent fix")).toEqual({ name: "review", text: "/agent fix" });
  });

  it("needs the command at the start of a line", () => {
    expect(parseCommand("please run /agent fix")).toBeUndefined();
  });

  it("allows up to three leading spaces", () => {
    expect(parseCommand("   /agent fix")).toEqual({ name: "fix", text: "" });
  });

  it("ignores four spaces or a tab of indentation, which is an indented code block", () => {
    expect(parseCommand("    /agent fix")).toBeUndefined();
    expect(parseCommand("\t/agent fix")).toBeUndefined();
  });

  it("ignores quoted commands", () => {
    expect(parseCommand("> /agent fix")).toBeUndefined();
    expect(parseCommand("  > > /agent fix")).toBeUndefined();
  });

  it("ignores inline code", () => {
    expect(parseCommand("`/agent fix`")).toBeUndefined();
  });

  it.each([
    ["backtick", "```\n/agent fix\n```"],
    ["tilde", "~~~\n/agent fix\n~~~"],
    ["info string", "```sh\n/agent fix\n```"],
    ["indented fence", "  ```\n/agent fix\n  ```"],
  ])("ignores a command inside a %s fence", (_, body) => {
    expect(parseCommand(body)).toBeUndefined();
  });

  it("keeps a longer fence open past a shorter one", () => {
    expect(parseCommand("````\n```\n/agent fix\n```\n````")).toBeUndefined();
    expect(parseCommand("````\n```\n````\n/agent fix")).toEqual({ name: "fix", text: "" });
  });

  it("keeps a fence open past the other fence character and past a fence with an info string", () => {
    expect(parseCommand("```\n~~~\n/agent fix\n~~~\n```")).toBeUndefined();
    expect(parseCommand("```\n```js\n/agent fix\n```")).toBeUndefined();
  });

  it("treats an unclosed fence as code to the end", () => {
    expect(parseCommand("```\n/agent fix")).toBeUndefined();
  });

  it("does not treat a line of inline code as a fence", () => {
    expect(parseCommand("```run this``` first\n/agent fix")).toEqual({ name: "fix", text: "" });
  });

  it("handles CRLF line endings", () => {
    expect(parseCommand("hello\r\n/agent fix the tests\r\nand the lint\r\n")).toEqual({
      name: "fix",
      text: "the tests\nand the lint",
    });
  });

  it("does not treat /agentfix as a command", () => {
    expect(parseCommand("/agentfix")).toBeUndefined();
    expect(parseCommand("/agent-fix")).toBeUndefined();
  });

  it("reads a custom prefix and ignores the default one then", () => {
    expect(parseCommand("/bot review security", "/bot")).toEqual({ name: "review", text: "security" });
    expect(parseCommand("/agent fix", "/bot")).toBeUndefined();
  });

  it("reads the subcommand case-insensitively", () => {
    expect(parseCommand("/agent FIX")).toEqual({ name: "fix", text: "" });
  });
});

describe("parseCommand: help", () => {
  it("answers a bare /agent with help", () => {
    expect(parseCommand("/agent")).toEqual({ name: "help", text: "" });
    expect(parseCommand("/agent   \nmore text")).toEqual({ name: "help", text: "" });
  });

  it("answers an unknown subcommand with help naming it", () => {
    expect(parseCommand("/agent Deploy now")).toEqual({ name: "help", text: "", unknown: "Deploy" });
  });
});

describe("parseCommand: free text", () => {
  it("takes the rest of the line", () => {
    expect(parseCommand("/agent fix  use   the v2 API ")).toEqual({ name: "fix", text: "use   the v2 API" });
  });

  it("takes the lines after the command, code blocks and quotes included", () => {
    const body = "/agent fix the parser\nIt fails on:\n```\nTypeError: x is undefined\n```\n> quoted\n";
    expect(parseCommand(body)).toEqual({
      name: "fix",
      text: "the parser\nIt fails on:\n```\nTypeError: x is undefined\n```\n> quoted",
    });
  });

  it("takes text that starts on the next line", () => {
    expect(parseCommand("/agent review\n\nfocus on error handling")).toEqual({
      name: "review",
      text: "focus on error handling",
    });
  });
});

describe("helpText", () => {
  it("lists every command with the prefix", () => {
    const text = helpText("/bot");
    for (const name of commandNames) expect(text).toContain(`\`/bot ${name}`);
    expect(text).not.toContain("/agent");
  });
});
