/**
 * Every file-tool path resolves inside the workspace. The sandbox enforces this too; checking here
 * turns an escape attempt into a clear, recoverable message before anything runs.
 */
import { posix } from "node:path";
import { shellQuote } from "./shell-quote.ts";
import { ToolError } from "./tool-error.ts";

const WORKSPACE = "/workspace";

/** A normalised path relative to the workspace root ("." for the root itself). */
export function workspaceRelative(path: string): string {
  if (path.includes("\0")) throw new ToolError("the path contains a NUL byte; pass a plain relative path");
  let relative = path.trim() === "" ? "." : path.trim();
  if (relative === WORKSPACE || relative.startsWith(`${WORKSPACE}/`))
    relative = relative.slice(WORKSPACE.length + 1) || ".";
  if (posix.isAbsolute(relative)) {
    throw new ToolError(`'${path}' is outside the workspace; use a path relative to the repository root`);
  }
  const normalised = posix.normalize(relative).replace(/\/+$/, "") || ".";
  if (normalised === ".." || normalised.startsWith("../")) {
    throw new ToolError(`'${path}' leaves the workspace; use a path relative to the repository root`);
  }
  return normalised;
}

/** Exit code of `insideWorkspaceGuard` when the real path leaves the workspace. */
export const OUTSIDE_WORKSPACE_EXIT = 4;

/**
 * Shell prefix for commands that take a directory (list_files, search): a symlink inside the
 * workspace may point out of it, which the lexical check above cannot see; `realpath` in the
 * container follows it. `quoted` is the shell-quoted relative path; run the command with `cwd` set
 * to `workdir`, since a `run` call may have left the shell elsewhere.
 */
export function insideWorkspaceGuard(quoted: string, workdir: string): string {
  const root = shellQuote(workdir);
  return `__ih_real=$(realpath -m -- ${quoted}) && case "$__ih_real" in ${root}|${root}/*) ;; *) echo ${quoted}" resolves outside the workspace (a symlink pointing out of it); use a path inside the repository" >&2; exit ${OUTSIDE_WORKSPACE_EXIT} ;; esac; `;
}
