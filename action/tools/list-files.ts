import { z } from "zod";
import { execForTool } from "./sandbox-exec.ts";
import { shellQuote } from "./shell-quote.ts";
import { ToolError } from "./tool-error.ts";
import { defineTool } from "./types.ts";
import { insideWorkspaceGuard, OUTSIDE_WORKSPACE_EXIT, workspaceRelative } from "./workspace-path.ts";

export const LIST_MAX_ENTRIES = 400;

const schema = z.strictObject({
  path: z.string().default(".").describe("Directory relative to the repository root; default the root"),
});

export const listFilesTool = defineTool({
  name: "list_files",
  description: "List the files under a directory (tracked and untracked, ignoring what .gitignore ignores).",
  schema,
  writes: false,
  async run({ path }, { sandbox, maxCommandMs }) {
    const relative = workspaceRelative(path);
    const quoted = shellQuote(relative);
    // git knows what is ignored; outside a repository, find is the fallback.
    const command =
      insideWorkspaceGuard(quoted, sandbox.workdir) +
      `if [ ! -d ${quoted} ]; then echo "not a directory" >&2; exit 3; fi; ` +
      `git ls-files --cached --others --exclude-standard -- ${quoted} 2>/dev/null || find ${quoted} -type f -not -path '*/.git/*' | sed 's|^\\./||'`;
    const result = await execForTool(sandbox, command, {
      cwd: sandbox.workdir,
      timeoutMs: Math.max(1, Math.min(30_000, maxCommandMs)),
      maxOutputBytes: 2_000_000,
    });
    if (result.exitCode === OUTSIDE_WORKSPACE_EXIT) throw new ToolError(result.stderr.trim());
    if (result.exitCode === 3)
      throw new ToolError(`${relative} is not a directory; list_files takes a directory`);
    const files = [...new Set(result.stdout.split("\n").filter(Boolean))].sort();
    if (files.length === 0) return { output: `No files under ${relative}.`, label: `list_files ${relative}` };
    const shown = files.slice(0, LIST_MAX_ENTRIES);
    const note =
      files.length > shown.length
        ? `\n[cut: ${files.length - shown.length} more files; list a subdirectory to see them]`
        : "";
    return {
      output: `${files.length} files under ${relative}:\n${shown.join("\n")}${note}`,
      label: `list_files ${relative}`,
    };
  },
});
