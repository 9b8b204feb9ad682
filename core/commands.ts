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

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Lines that can carry a command: outside fenced code blocks and not quoted. */
function liveLines(body: string): { line: string; index: number }[] {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const live: { line: string; index: number }[] = [];
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      return;
    }
    if (marker) {
      fence = marker;
      return;
    }
    if (/^\s*>/.test(line)) return;
    live.push({ line, index });
  });
  return live;
}

/**
 * Finds the first command in a comment. Only a command at the start of a line counts: quoted
 * lines, fenced code and inline code (which starts with a backtick) never trigger.
 */
export function parseCommand(body: string, prefix = "/agent"): Command | undefined {
  const live = liveLines(body);
  for (const [position, { line }] of live.entries()) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith(prefix)) continue;
    const after = trimmed.slice(prefix.length);
    if (after !== "" && !/^\s/.test(after)) continue;
    const [word = "", ...restOfLine] = after.trim().split(/\s+/);
    const following = live
      .slice(position + 1)
      .map((l) => l.line)
      .join("\n");
    const text = [restOfLine.join(" "), following]
      .filter((t) => t.trim() !== "")
      .join("\n")
      .trim();
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
