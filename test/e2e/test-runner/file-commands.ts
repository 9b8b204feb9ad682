import { readFile } from "node:fs/promises";

/**
 * The runner's file commands (`GITHUB_OUTPUT`, `GITHUB_STATE`, `GITHUB_ENV`): `name=value` lines
 * or `name<<DELIMITER` blocks, as `@actions/core` writes them.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`file command ${name}: no closing delimiter ${delimiter}`);
      values[name] = body.join("\n");
      continue;
    }
    const equals = line.indexOf("=");
    if (equals === -1)
      throw new Error(`file command line is neither name=value nor name<<DELIMITER: ${line}`);
    values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

export async function readFileCommands(path: string): Promise<Record<string, string>> {
  try {
    return parseFileCommands(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
}

/** GitHub's runner upper-cases an input name and turns spaces into `_`, keeping `-`: `github-token` → `INPUT_GITHUB-TOKEN`. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** `STATE_<name>` for the post step, from what main saved. */
export function stateEnvName(name: string): string {
  return `STATE_${name}`;
}
