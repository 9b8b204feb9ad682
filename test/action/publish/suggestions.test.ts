import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { suggestionBody } from "../../../action/publish/suggest-change.ts";
import { hunkSuggestion, planSuggestions, zeroContextHunks } from "../../../action/publish/suggestions.ts";
import { sh } from "../workspace/origin.ts";

const TEN = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);

/** A repository at the pull request's head with `next` staged over `file.txt`. */
async function staged(next: Record<string, string>): Promise<{ dir: string; base: string }> {
  const dir = await mkdtemp(join(tmpdir(), "suggestions-"));
  sh(dir, "init", "-q", "-b", "main");
  await writeFile(join(dir, "file.txt"), `${TEN.join("\n")}\n`);
  sh(dir, "add", "-A");
  sh(dir, "commit", "-q", "-m", "head");
  for (const [path, text] of Object.entries(next)) await writeFile(join(dir, path), text);
  sh(dir, "add", "-A");
  return { dir, base: sh(dir, "rev-parse", "HEAD").trim() };
}

/** The pull request's own diff touched lines 2–8 of file.txt (one hunk, new side 2..8). */
const PULL = [
  {
    filename: "file.txt",
    patch: `@@ -2,7 +2,7 @@\n${TEN.slice(1, 8)
      .map((l) => ` ${l}`)
      .join("\n")}`,
  },
];

describe("review suggestions from a staged change", () => {
  it("replaces, inserts after an anchor line, inserts at the top and deletes", () => {
    const old = ["a", "b", "c"];
    expect(hunkSuggestion("f", { oldStart: 2, oldLength: 2, added: ["B"] }, old)).toEqual({
      path: "f",
      startLine: 2,
      line: 3,
      lines: ["B"],
    });
    expect(hunkSuggestion("f", { oldStart: 2, oldLength: 0, added: ["x"] }, old).lines).toEqual(["b", "x"]);
    expect(hunkSuggestion("f", { oldStart: 0, oldLength: 0, added: ["x"] }, old)).toMatchObject({
      startLine: 1,
      line: 1,
      lines: ["x", "a"],
    });
    expect(suggestionBody({ path: "f", startLine: 2, line: 3, lines: [] })).toBe(
      "Delete these lines.\n\n```suggestion\n```",
    );
  });

  it("refuses a hunk that changes the newline at the end of a file", () => {
    expect(zeroContextHunks("@@ -3 +3 @@\n-a\n+a\n\\ No newline at end of file")).toMatch(/newline/);
  });

  it("plans a multi-line suggestion inside the pull request's diff", async () => {
    const next = [...TEN];
    next.splice(3, 2, "LINE 4 AND 5");
    const { dir, base } = await staged({ "file.txt": `${next.join("\n")}\n` });
    expect(await planSuggestions(dir, base, PULL)).toEqual({
      ok: true,
      suggestions: [{ path: "file.txt", startLine: 4, line: 5, lines: ["LINE 4 AND 5"] }],
    });
  });

  it("falls back to a patch for lines outside the diff, a new file, or a file the pull request does not touch", async () => {
    const outside = [...TEN];
    outside[9] = "changed 10";
    let repo = await staged({ "file.txt": `${outside.join("\n")}\n` });
    expect(await planSuggestions(repo.dir, repo.base, PULL)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("lines 10–10 of `file.txt` lie outside"),
    });
    repo = await staged({ "new.txt": "hello\n" });
    expect(await planSuggestions(repo.dir, repo.base, PULL)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("adds `new.txt`"),
    });
    repo = await staged({ "file.txt": `${TEN.join("\n")}\nmore\n` });
    expect(await planSuggestions(repo.dir, repo.base, [])).toMatchObject({
      ok: false,
      reason: expect.stringContaining("where the pull request changes nothing"),
    });
  });
});
