import { describe, expect, it } from "vitest";
import { neutralisedLog, neutraliseForLog } from "../../../action/job/job-log.ts";
import { runnerCommandsIn } from "../../helpers/runner-commands.ts";

describe("neutraliseForLog", () => {
  it.each([
    ["a command at the start of a line", "done\n::error file=a.js::pwned"],
    ["a command after spaces and tabs", "  \t::add-mask::secret"],
    ["a command after a carriage return", "progress 50%\r::set-output name=x::y"],
    ["the old form anywhere in a line", "see ##[error]pwned and ##[set-output name=x;]y"],
    ["stop-commands with the runner's token", "::stop-commands::abc\n::error::x\n::abc::"],
    ["a group that never ends", "::group::swallow the rest of the log"],
  ])("leaves no workflow command in %s", (_, text) => {
    expect(runnerCommandsIn(text)).not.toEqual([]); // the raw text is one…
    expect(runnerCommandsIn(neutraliseForLog(text))).toEqual([]); // …the neutralised text is none
  });

  it("removes terminal control sequences and control characters, keeps the words", () => {
    const text =
      "\u001b[31mred\u001b[0m \u001b]8;;https://evil.test\u0007link\u001b]8;;\u0007 \u009b2Jbell\u0007 tab\tend";
    expect(neutraliseForLog(text)).toBe("red link bell tab\tend");
  });

  it("keeps ordinary text exactly", () => {
    const text = "Fixed sum(): 2 + 3 is 5.\nTests: 12 passed :: all green # done [ok]";
    expect(neutraliseForLog(text)).toBe(text);
  });
});

describe("neutralisedLog", () => {
  it("neutralises every message, and a group's title and body", () => {
    const lines: string[] = [];
    const log = neutralisedLog({
      info: (m) => lines.push(m),
      warning: (m) => lines.push(m),
      group: (title, body) => lines.push(`::group::${title}`, body, "::endgroup::"),
    });
    log.info("::error::a");
    log.warning("x\n::warning::b");
    log.group("title\n::error::c", "::add-mask::d");
    const issued = runnerCommandsIn(lines.join("\n")).map((c) => c.command);
    expect(issued).toEqual(["group", "endgroup"]); // only the group this log opened itself
    expect(lines[2]).toBe("::group::title :\u200b:error::c");
  });
});
