/**
 * The one rule for file paths the agent names: they resolve inside the workspace or are refused.
 * Checked twice: lexically on the host (NUL bytes, `..` escapes, absolute paths elsewhere), then in
 * the container with `realpath -m`, which follows symlinks that exist, so a link pointing out of the
 * workspace is refused too.
 */
import { posix } from "node:path";
import { SandboxError } from "./engine/errors.ts";

export const WORKSPACE_DIR = "/workspace";

function refuse(path: string, why: string): never {
  throw new SandboxError(
    "path-refused",
    `Path ${JSON.stringify(path)} refused: ${why}. Use a path inside ${WORKSPACE_DIR}, e.g. "src/index.ts".`,
  );
}

/** Absolute, normalised container path for `path`, or a `path-refused` SandboxError. */
export function resolveWorkspacePath(path: string): string {
  if (path.length === 0) refuse(path, "it is empty");
  if (path.includes("\0")) refuse(path, "it contains a NUL byte");
  const absolute = posix.resolve(WORKSPACE_DIR, path);
  if (absolute !== WORKSPACE_DIR && !absolute.startsWith(`${WORKSPACE_DIR}/`)) {
    refuse(path, `it resolves to ${absolute}, outside the workspace`);
  }
  return absolute;
}

/**
 * Shell half of the rule, defined in the persistent shell: sets `__ih_resolved` to the real path,
 * or fails when the real path (symlinks followed) leaves the workspace.
 */
export const WORKSPACE_PATH_SHELL_FUNCTION = `
__ih_resolve() {
  __ih_resolved=$(realpath -m -- "$1") || return 1
  case "$__ih_resolved" in
    ${WORKSPACE_DIR}|${WORKSPACE_DIR}/*) return 0 ;;
    *) return 1 ;;
  esac
}
`;
