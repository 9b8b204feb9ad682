import { z } from "zod";
import { splitLines } from "./line-numbers.ts";
import { asToolError } from "./tool-error.ts";
import { defineTool } from "./types.ts";
import { workspaceRelative } from "./workspace-path.ts";

const schema = z.strictObject({
  path: z.string().min(1).describe("File path relative to the repository root"),
  content: z.string().describe("The whole new content of the file"),
});

export const writeFileTool = defineTool({
  name: "write_file",
  description:
    "Create a file or replace its whole content. For a change inside an existing file prefer edit_file.",
  schema,
  writes: true,
  async run({ path, content }, { sandbox }) {
    const relative = workspaceRelative(path);
    await sandbox.writeFile(relative, content).catch((error: unknown) => {
      throw asToolError(error);
    });
    return {
      output: `Wrote ${splitLines(content).length} lines to ${relative}.`,
      label: `write_file ${relative}`,
    };
  },
});
