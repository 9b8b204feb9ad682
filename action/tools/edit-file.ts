import { z } from "zod";
import { closestLines, lineAt, occurrences } from "./closest-lines.ts";
import { numberLines, splitLines } from "./line-numbers.ts";
import { asToolError, ToolError } from "./tool-error.ts";
import { defineTool } from "./types.ts";
import { workspaceRelative } from "./workspace-path.ts";

const schema = z.strictObject({
  path: z.string().min(1).describe("File path relative to the repository root"),
  oldText: z
    .string()
    .min(1)
    .describe("Exact text to replace, including indentation; must occur exactly once"),
  newText: z.string().describe("Replacement text"),
});

function excerpt(lines: string[], around: number, radius = 2): string {
  const first = Math.max(1, around - radius);
  const last = Math.min(lines.length, around + radius);
  return numberLines(lines.slice(first - 1, last), first);
}

export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace one exact snippet in a file. oldText must match the file byte for byte (copy it from read_file without the line numbers) and occur exactly once; include more surrounding lines to make it unique.",
  schema,
  writes: true,
  async run({ path, oldText, newText }, { sandbox }) {
    const relative = workspaceRelative(path);
    const original = (
      await sandbox.readFile(relative).catch((error: unknown) => {
        throw asToolError(error);
      })
    ).toString("utf8");
    const lines = splitLines(original);
    const found = occurrences(original, oldText);
    if (found.length === 0) {
      const near = closestLines(lines, oldText);
      const hint = near.length
        ? `The closest lines are:\n${near.map((line) => excerpt(lines, line)).join("\n---\n")}`
        : "No line looks like it; read the file again.";
      throw new ToolError(
        `oldText does not occur in ${relative}. ${hint}\nCopy the exact text (without line numbers) and retry.`,
      );
    }
    if (found.length > 1) {
      const at = found.map((offset) => lineAt(original, offset));
      throw new ToolError(
        `oldText occurs ${found.length} times in ${relative} (lines ${at.join(", ")}); include more surrounding lines so it matches once:\n` +
          at.map((line) => excerpt(lines, line, 1)).join("\n---\n"),
      );
    }
    const offset = found[0]!;
    const updated = original.slice(0, offset) + newText + original.slice(offset + oldText.length);
    await sandbox.writeFile(relative, updated).catch((error: unknown) => {
      throw asToolError(error);
    });
    const firstLine = lineAt(original, offset);
    const newLines = splitLines(updated);
    const changedEnd = firstLine + Math.max(0, splitLines(newText).length - 1);
    const first = Math.max(1, firstLine - 2);
    const last = Math.min(newLines.length, changedEnd + 2);
    return {
      output: `Edited ${relative} at line ${firstLine}. Now:\n${numberLines(newLines.slice(first - 1, last), first)}`,
      label: `edit_file ${relative}`,
    };
  },
});
