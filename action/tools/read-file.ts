import { z } from "zod";
import { numberLines, splitLines } from "./line-numbers.ts";
import { asToolError, ToolError } from "./tool-error.ts";
import { defineTool } from "./types.ts";
import { workspaceRelative } from "./workspace-path.ts";

/** Kept below the loop's observation cap so a read is never cut in the middle by it. */
export const READ_MAX_LINES = 400;
export const READ_MAX_CHARS = 9_000;

const schema = z.strictObject({
  path: z.string().min(1).describe("File path relative to the repository root"),
  startLine: z.int().min(1).optional().describe("First line to show (1-based)"),
  endLine: z.int().min(1).optional().describe("Last line to show (inclusive)"),
});

export const readFileTool = defineTool({
  name: "read_file",
  description:
    "Read a text file with line numbers. Large files are cut; ask for a line range with startLine/endLine to see more.",
  schema,
  writes: false,
  async run({ path, startLine = 1, endLine }, { sandbox }) {
    const relative = workspaceRelative(path);
    const bytes = await sandbox.readFile(relative).catch((error: unknown) => {
      throw asToolError(error);
    });
    if (bytes.subarray(0, 8_000).includes(0)) {
      throw new ToolError(`${relative} is a binary file (${bytes.length} bytes); it cannot be shown as text`);
    }
    const lines = splitLines(bytes.toString("utf8"));
    if (endLine !== undefined && endLine < startLine) {
      throw new ToolError(`endLine ${endLine} is before startLine ${startLine}`);
    }
    if (lines.length === 0) return { output: `${relative} is empty.`, label: `read_file ${relative}` };
    if (startLine > lines.length) {
      throw new ToolError(`${relative} has ${lines.length} lines; startLine ${startLine} is past the end`);
    }
    const last = Math.min(endLine ?? lines.length, lines.length, startLine + READ_MAX_LINES - 1);
    const shown: string[] = [];
    let chars = 0;
    for (let n = startLine; n <= last; n++) {
      const line = lines[n - 1]!;
      if (chars + line.length > READ_MAX_CHARS && shown.length > 0) break;
      shown.push(line);
      chars += line.length + 1;
    }
    const lastShown = startLine + shown.length - 1;
    const wanted = Math.min(endLine ?? lines.length, lines.length);
    const note =
      lastShown < wanted
        ? `\n[cut: lines ${lastShown + 1}-${wanted} of ${lines.length} not shown; call read_file with startLine=${lastShown + 1}]`
        : "";
    const header = `${relative} (lines ${startLine}-${lastShown} of ${lines.length})`;
    return { output: `${header}\n${numberLines(shown, startLine)}${note}`, label: `read_file ${relative}` };
  },
});
