import { describe, expect, it } from "vitest";
import { isSandboxError } from "../../../action/sandbox/engine/errors.ts";
import { resolveWorkspacePath } from "../../../action/sandbox/workspace-path.ts";

describe("resolveWorkspacePath", () => {
  it.each([
    ["src/a.ts", "/workspace/src/a.ts"],
    ["./src/../b.ts", "/workspace/b.ts"],
    ["/workspace/c", "/workspace/c"],
    [".", "/workspace"],
  ])("resolves %j inside the workspace", (path, expected) => {
    expect(resolveWorkspacePath(path)).toBe(expected);
  });

  it.each([
    ["..", /outside the workspace/],
    ["src/../../etc", /outside the workspace/],
    ["/etc/passwd", /outside the workspace/],
    ["/workspace-other/x", /outside the workspace/],
    ["a\0b", /NUL byte/],
    ["", /empty/],
  ])("refuses %j with a recoverable error that says why", (path, why) => {
    let caught: unknown;
    try {
      resolveWorkspacePath(path);
    } catch (error) {
      caught = error;
    }
    expect(isSandboxError(caught, "path-refused")).toBe(true);
    expect((caught as Error).message).toMatch(why);
    expect((caught as { recoverable: boolean }).recoverable).toBe(true);
  });
});
