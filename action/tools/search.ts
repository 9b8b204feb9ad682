import { z } from "zod";
import { execForTool } from "./sandbox-exec.ts";
import { shellQuote } from "./shell-quote.ts";
import { ToolError } from "./tool-error.ts";
import { defineTool } from "./types.ts";
import { insideWorkspaceGuard, OUTSIDE_WORKSPACE_EXIT, workspaceRelative } from "./workspace-path.ts";

const LINE_MAX_CHARS = 300;

const schema = z.strictObject({
  pattern: z.string().min(1).describe("Regular expression (ripgrep syntax)"),
  path: z.string().default(".").describe("Directory or file to search; default the repository root"),
  glob: z.string().optional().describe("Only files matching this glob, such as '*.ts' or 'src/**/*.py'"),
  ignoreCase: z.boolean().default(false),
  maxResults: z.int().min(1).max(200).default(50),
});

function searchCommand(pattern: string, path: string, glob: string | undefined, ignoreCase: boolean): string {
  const rg = ["rg", "--line-number", "--no-heading", "--color=never", "--max-columns=400"];
  const grep = ["grep", "-rnE", "--exclude-dir=.git"];
  if (ignoreCase) {
    rg.push("-i");
    grep.push("-i");
  }
  if (glob) {
    rg.push("--glob", shellQuote(glob));
    grep.push(`--include=${shellQuote(glob.replace(/^.*\//, ""))}`);
  }
  rg.push("-e", shellQuote(pattern), "--", shellQuote(path));
  grep.push("-e", shellQuote(pattern), "--", shellQuote(path));
  // The sandbox image ships ripgrep; grep keeps the tool working in a custom image without it.
  return `if command -v rg >/dev/null 2>&1; then ${rg.join(" ")}; else ${grep.join(" ")}; fi`;
}

export const searchTool = defineTool({
  name: "search",
  description:
    "Search file contents with a regular expression (ripgrep). Returns path:line:text matches, capped at maxResults.",
  schema,
  writes: false,
  async run({ pattern, path, glob, ignoreCase, maxResults }, { sandbox, maxCommandMs }) {
    const relative = workspaceRelative(path);
    const command =
      insideWorkspaceGuard(shellQuote(relative), sandbox.workdir) +
      searchCommand(pattern, relative, glob, ignoreCase);
    const result = await execForTool(sandbox, command, {
      cwd: sandbox.workdir,
      timeoutMs: Math.max(1, Math.min(60_000, maxCommandMs)),
      maxOutputBytes: 1_000_000,
    });
    const label = `search ${pattern}`;
    if (result.exitCode === OUTSIDE_WORKSPACE_EXIT) throw new ToolError(result.stderr.trim());
    if (result.exitCode === 1) return { output: `No matches for /${pattern}/ in ${relative}.`, label };
    if (result.exitCode !== 0) {
      throw new ToolError(
        `search failed (exit ${result.exitCode}): ${result.stderr.trim().slice(0, 500)}; check the regular expression and the path`,
      );
    }
    const matches = result.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => (line.length > LINE_MAX_CHARS ? `${line.slice(0, LINE_MAX_CHARS)}…` : line))
      .map((line) => line.replace(/^\.\//, ""));
    const shown = matches.slice(0, maxResults);
    const more = matches.length - shown.length + (result.truncated ? 1 : 0);
    const note = more > 0 ? `\n[cut: more matches not shown; narrow the pattern, path or glob]` : "";
    return { output: `${shown.join("\n")}${note}`, label };
  },
});
