import { describe, expect, it } from "vitest";
import { showPath, unsafePathReason } from "../../../action/publish/path-safety.ts";

describe("unsafePathReason", () => {
  it.each([".git/config", "a/.GIT/hooks/pre-commit", "a/.git./x", "a/.git /x", "GIT~1/config"])(
    "refuses %j, git's own directory in a spelling some file system resolves",
    (path) => expect(unsafePathReason(path)).toMatch(/git's own directory/),
  );

  it.each(["a\nb", "a\tb", "a\u001b[31mb", "a\u200bb", "a\u202eb", "a\u{E0041}b", "a\u0085b"])(
    "refuses %j, a name with a control or invisible character",
    (path) => expect(unsafePathReason(path)).toMatch(/control or invisible/),
  );

  it.each(["/etc/passwd", "", "a//b", "a/./b", "a/../b"])("refuses %j", (path) =>
    expect(unsafePathReason(path)).toBeDefined(),
  );

  it.each([".github/workflows/ci.yml", "src/café.ts", "docs/.gitignore", "a/.gitkeep", "日本語/ファイル.md"])(
    "accepts %j",
    (path) => expect(unsafePathReason(path)).toBeUndefined(),
  );

  it("shows a name with its controls escaped and its backticks spelled out", () => {
    expect(showPath("a\nb\u200b`c")).toBe("`a\\nb\\u{200b}\\u{60}c`");
  });
});
