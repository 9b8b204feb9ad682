import { describe, expect, it } from "vitest";
import { patchFiles } from "../../../action/publish/patch-files.ts";
import { checkPatch } from "../../../action/publish/patch-policy.ts";

const edit = (path: string) =>
  `diff --git a/${path} b/${path}\nindex 1111111..2222222 100644\n--- a/${path}\n+++ b/${path}\n@@ -1 +1 @@\n-a\n+b\n`;
const rename = (from: string, to: string) =>
  `diff --git a/${from} b/${to}\nsimilarity index 100%\nrename from ${from}\nrename to ${to}\n`;
const config = {
  protectedPaths: [".github/workflows/**", "*.pem", "deploy/"],
  allowProtectedPathChanges: false,
};
const limits = { maxBytes: 10_000, maxFiles: 10 };

describe("patch policy", () => {
  it("accepts an ordinary change", () => {
    const verdict = checkPatch(edit("src/a.ts") + edit("README.md"), config, limits);
    expect(verdict).toMatchObject({ ok: true, paths: ["src/a.ts", "README.md"] });
  });

  it("refuses a change to a workflow, naming the file, the pattern and the fix", () => {
    const verdict = checkPatch(edit("src/a.ts") + edit(".github/workflows/ci.yml"), config, limits);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reasons.join("\n")).toContain(
      "`.github/workflows/ci.yml` (matches `.github/workflows/**`)",
    );
    expect(verdict.reasons.join("\n")).toContain("allowProtectedPathChanges: true");
  });

  it("counts both sides of a rename, so moving a file out of a protected directory is refused", () => {
    const verdict = checkPatch(rename("deploy/key.txt", "src/key.txt"), config, limits);
    expect(verdict.ok).toBe(false);
    expect(patchFiles(rename("deploy/key.txt", "src/key.txt"))).toEqual([
      { oldPath: "deploy/key.txt", newPath: "src/key.txt", binary: false },
    ]);
  });

  it("matches name patterns at any depth and quoted unicode paths (the glob table is in test/core/glob.test.ts)", () => {
    expect(checkPatch(edit("certs/server.pem"), config, limits).ok).toBe(false);
    expect(
      checkPatch(edit("certs/server.pem.txt") + edit(".github/workflowsx/a.yml"), config, limits).ok,
    ).toBe(true);
    const quoted =
      'diff --git "a/caf\\303\\251.pem" "b/caf\\303\\251.pem"\n--- "a/caf\\303\\251.pem"\n+++ "b/caf\\303\\251.pem"\n';
    expect(patchFiles(quoted)[0]?.newPath).toBe("café.pem");
    expect(checkPatch(quoted, config, limits).ok).toBe(false);
  });

  it("refuses a path no checkout can hold instead of matching it", () => {
    const verdict = checkPatch(edit(`src/${"a".repeat(256)}.ts`), config, limits);
    expect(verdict.ok ? [] : verdict.reasons).toEqual([
      "the change has a path longer than 4096 bytes or a name longer than 255 bytes, which no checkout can hold",
    ]);
  });

  it("lets a repository that allows it change protected paths", () => {
    expect(
      checkPatch(edit(".github/workflows/ci.yml"), { ...config, allowProtectedPathChanges: true }, limits).ok,
    ).toBe(true);
  });

  it("refuses oversize diffs by bytes and by file count", () => {
    const big = checkPatch(edit("a.txt") + "+x".repeat(10_000), config, limits);
    expect(big.ok ? [] : big.reasons.join()).toMatch(
      /over the runner's limit of 10000 \(input max-patch-bytes\)/,
    );
    const many = checkPatch(Array.from({ length: 11 }, (_, i) => edit(`f${i}.txt`)).join(""), config, limits);
    expect(many.ok ? [] : many.reasons.join()).toMatch(/touches 11 files/);
  });

  it("treats new and deleted files as touching their one path", () => {
    const added =
      "diff --git a/new.pem b/new.pem\nnew file mode 100644\n--- /dev/null\n+++ b/new.pem\n@@ -0,0 +1 @@\n+k\n";
    expect(patchFiles(added)).toEqual([{ oldPath: undefined, newPath: "new.pem", binary: false }]);
    expect(checkPatch(added, config, limits).ok).toBe(false);
  });
});
