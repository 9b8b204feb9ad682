import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMemorySandbox } from "./memory-sandbox.ts";

describe("memory sandbox: seeded from a work tree, its diff is a patch git applies", () => {
  let dir = "";
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives the changed and new files (with and without a final newline) as git apply takes them", async () => {
    dir = await mkdtemp(join(tmpdir(), "memory-sandbox-"));
    const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" });
    git("init", "-q");
    await writeFile(join(dir, "a.js"), "one\ntwo\n");
    await writeFile(join(dir, "b.txt"), "no newline");
    git("add", ".");
    const sandbox = createMemorySandbox({}, () => ({}));
    await sandbox.seed(dir);
    expect((await sandbox.readFile("a.js")).toString()).toBe("one\ntwo\n");
    expect(await sandbox.diff()).toBe("");
    await sandbox.writeFile("a.js", "one\n2\nthree");
    await sandbox.writeFile("b.txt", "still none\n");
    await sandbox.writeFile("src/new.js", "export {};\n");
    await writeFile(join(dir, "change.patch"), await sandbox.diff());
    git("apply", "--index", "change.patch");
    expect(await readFile(join(dir, "a.js"), "utf8")).toBe("one\n2\nthree");
    expect(await readFile(join(dir, "b.txt"), "utf8")).toBe("still none\n");
    expect(await readFile(join(dir, "src/new.js"), "utf8")).toBe("export {};\n");
  });
});
