import { describe, expect, it } from "vitest";
import { runnerCommandsIn } from "./runner-commands.ts";

describe("runnerCommandsIn: the runner's own rules (actions/runner ActionCommand.cs)", () => {
  it("reads a registered command at the start of a line, after leading whitespace", () => {
    expect(runnerCommandsIn("::error::x\n  ::warning file=a::y").map((c) => c.command)).toEqual([
      "error",
      "warning",
    ]);
  });

  it("reads the older ##[ form anywhere in a line", () => {
    expect(runnerCommandsIn("text ##[set-output name=a;]b").map((c) => c.command)).toEqual(["set-output"]);
  });

  it("splits lines at carriage returns as well as line feeds", () => {
    expect(runnerCommandsIn("a\r::add-mask::s").map((c) => c.command)).toEqual(["add-mask"]);
  });

  it("ignores unregistered names, a missing second ::, and :: inside a line", () => {
    expect(runnerCommandsIn("::nothing::x\n::error x\nsee ::error::x\n##[error")).toEqual([]);
  });
});
