/**
 * The GitHub Actions runner's reading of a step's output, as strict as the runner: which lines it
 * takes as workflow commands. Rules from actions/runner:
 * - src/Runner.Common/ActionCommand.cs, TryParseV2: the line, with leading whitespace trimmed,
 *   starts with `::`; the command name runs to the next space or `::` and must be registered.
 * - ActionCommand.cs, TryParse (the older form): `##[` at any index, the name runs to a space or
 *   `]`, and must be registered.
 * - the runner reads output line by line (.NET StreamReader.ReadLine: `\n`, `\r` or `\r\n`).
 * - src/Runner.Worker/ActionCommandManager.cs: the registered commands (the extensions below plus
 *   stop-commands, which stops all processing until `::<token>::`).
 */
const REGISTERED = new Set([
  "add-mask",
  "add-matcher",
  "remove-matcher",
  "add-path",
  "set-env",
  "set-output",
  "save-state",
  "debug",
  "notice",
  "warning",
  "error",
  "group",
  "endgroup",
  "echo",
  "stop-commands",
]);

export interface RunnerCommand {
  command: string;
  line: string;
}

function parseV2(line: string): string | undefined {
  const text = line.trimStart();
  if (!text.startsWith("::")) return undefined;
  const end = text.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = text.slice(2, end);
  const name = info.split(" ")[0]!;
  return REGISTERED.has(name) ? name : undefined;
}

function parseLegacy(line: string): string | undefined {
  const at = line.indexOf("##[");
  if (at < 0) return undefined;
  const close = line.indexOf("]", at);
  if (close < 0) return undefined;
  const name = line.slice(at + 3, close).split(" ")[0]!;
  return REGISTERED.has(name) ? name : undefined;
}

/** Every line of `output` the runner would run as a command (stop-commands itself included). */
export function runnerCommandsIn(output: string): RunnerCommand[] {
  const commands: RunnerCommand[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const command = parseV2(line) ?? parseLegacy(line);
    if (command) commands.push({ command, line });
  }
  return commands;
}
