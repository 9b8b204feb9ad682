/**
 * Every file-tool path resolves inside the workspace. The sandbox enforces this too; checking here
 * turns an escape attempt into a clear, recoverable message before anything runs.
 */
import { posix } from "node:path";
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
