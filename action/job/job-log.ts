/**
 * The job log is read by the runner as well as by people: a line whose text starts with `::`
 * (after leading whitespace) is a workflow command, and `##[` anywhere in a line starts the
 * older form (actions/runner, src/Runner.Common/ActionCommand.cs: TryParseV2 trims the start and
 * looks for `::`; TryParse looks for `##[` at any index). The runner splits its output into lines
 * at `\n`, `\r` and `\r\n`. Model-written text reaches the log (outcome messages, tool calls and
 * their output), so everything this action writes there passes through `neutraliseForLog`:
 * terminal control sequences and control characters go, carriage returns become line breaks, and
 * each command opener gets a zero-width space between its first two characters, which keeps the
 * text readable and makes it no command (issue #13, item 2).
 */

const ESCAPE_SEQUENCES = new RegExp(
  [
    "\\u001b\\[[0-?]*[ -/]*[@-~]", // CSI: colours, cursor movement, erase
    "\\u001b\\][^\\u0007\\u001b]*(?:\\u0007|\\u001b\\\\)?", // OSC: titles, hyperlinks
    "\\u001b[PX^_][^\\u001b]*(?:\\u001b\\\\)?", // DCS, SOS, PM, APC strings
    "\\u001b[ -/]*[0-~]", // two-character escapes
    "\\u009b[0-?]*[ -/]*[@-~]", // C1 CSI
  ].join("|"),
  "g",
);
// Built from a string: the point of this pattern is control characters, which a literal may not hold.
const CONTROLS = new RegExp("[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]", "g");
const ZWSP = "\u200b";

export function neutraliseForLog(text: string): string {
  return text
    .replace(ESCAPE_SEQUENCES, "")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROLS, "")
    .split("\n")
    .map((line) => line.replace(/^(\s*):(?=:)/, `$1:${ZWSP}`).replaceAll("##[", `#${ZWSP}#[`))
    .join("\n");
}

export interface JobLog {
  info(message: string): void;
  warning(message: string): void;
  /** A collapsible group: its title and body are neutralised like every other line. */
  group?(title: string, body: string): void;
}

/** The same log with every message neutralised before it is written. */
export function neutralisedLog(log: JobLog): Required<JobLog> {
  return {
    info: (message) => log.info(neutraliseForLog(message)),
    warning: (message) => log.warning(neutraliseForLog(message)),
    group: (title, body) => {
      const cleanTitle = neutraliseForLog(title).replace(/\n/g, " ");
      if (log.group) log.group(cleanTitle, neutraliseForLog(body));
      else log.info(`${cleanTitle}\n${neutraliseForLog(body)}`);
    },
  };
}
