/** The comment grammar: `/agent fix [text]`, `/agent review [text]`, `/agent stop`, `/agent help`. */

export const commandNames = ["fix", "review", "stop", "help"] as const;
export type CommandName = (typeof commandNames)[number];

export interface Command {
  name: CommandName;
  /** Free text after the command: the rest of its line and the lines after it. */
  text: string;
  /** Set when the comment named a subcommand that does not exist; the command becomes `help`. */
  unknown?: string;
}

/** An opening fence; a backtick fence's info string may not hold a backtick (that is inline code). */
const OPENING_FENCE = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/;
/** Four spaces or a tab of indentation make an indented code block, which renders as code. */
const CODE_INDENT = /^( {4}|\t)/;

function isClosingFence(line: string, opening: string): boolean {
  const marker = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
  return marker !== undefined && marker[0] === opening[0] && marker.length >= opening.length;
}

/** Indexes of lines that can carry a command: outside fenced code, not indented code, not quoted. */
function liveLineIndexes(lines: string[]): number[] {
  const live: number[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    if (fence !== undefined) {
      if (isClosingFence(line, fence)) fence = undefined;
      return;
    }
    fence = OPENING_FENCE.exec(line)?.[1];
    if (fence !== undefined || CODE_INDENT.test(line) || /^\s*>/.test(line)) return;
    live.push(index);
  });
  return live;
}

/**
 * Finds the first command in a comment. Only a command at the start of a line counts: quoted
 * lines, fenced or indented code and inline code (which starts with a backtick) never trigger.
 * The text is everything after the command word, code blocks included, because instructions
 * often carry a snippet or a stack trace.
 */
export function parseCommand(body: string, prefix = "/agent"): Command | undefined {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  for (const index of liveLineIndexes(lines)) {
    const trimmed = lines[index]!.trimStart();
    if (!trimmed.startsWith(prefix)) continue;
    const after = trimmed.slice(prefix.length);
    if (after !== "" && !/^\s/.test(after)) continue;
    const word = after.trim().split(/\s+/)[0] ?? "";
    const restOfLine = after.trim().slice(word.length).trim();
    const text = [restOfLine, ...lines.slice(index + 1)].join("\n").trim();
    const name = word.toLowerCase();
    if (name === "") return { name: "help", text: "" };
    if ((commandNames as readonly string[]).includes(name)) return { name: name as CommandName, text };
    return { name: "help", text: "", unknown: word };
  }
  return undefined;
}

export function helpText(prefix = "/agent"): string {
  return [
    `\`${prefix} fix [instructions]\`: on an issue, open a pull request that fixes it; on a pull request, push a fix to it.`,
    `\`${prefix} review [focus]\`: review a pull request with inline comments.`,
    `\`${prefix} stop\`: cancel the running task on this issue or pull request.`,
    `\`${prefix} help\`: show this help and the repository's effective configuration.`,
  ].join("\n");
}
