/**
 * A Sandbox held in memory, for measuring what is not the sandbox: the loop's own overhead (agent
 * bench) or GitHub's budget for many tasks at once (the budget simulation). Files live in a Map and
 * each command answers from a function at once, so timings exclude both the model and real
 * execution. `seed` reads the work tree's tracked files; `diff` gives the changes since as a patch
 * `git apply` takes (whole-file hunks), so publishing judges and pushes them as it would a container's.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ExecResult, Sandbox } from "../../action/sandbox/types.ts";

type Answer = (command: string) => { exitCode?: number; stdout?: string; stderr?: string };

/** Lines of a file for a hunk, and whether its last line lacks the final newline. */
function hunkLines(text: string, sign: "-" | "+"): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  const missingNewline = lines.at(-1) !== "";
  if (!missingNewline) lines.pop();
  const out = lines.map((line) => `${sign}${line}`);
  if (missingNewline) out.push("\\ No newline at end of file");
  return out;
}

const count = (text: string) => (text === "" ? 0 : text.split("\n").length - (text.endsWith("\n") ? 1 : 0));

/** A git patch replacing `before` with `after` at `path` (`before` undefined: a new file). */
export function wholeFilePatch(path: string, before: string | undefined, after: string): string {
  const old = before ?? "";
  const header = [
    `diff --git a/${path} b/${path}`,
    ...(before === undefined ? ["new file mode 100644"] : []),
    `--- ${before === undefined ? "/dev/null" : `a/${path}`}`,
    `+++ b/${path}`,
    `@@ -${count(old) === 0 ? 0 : 1},${count(old)} +${count(after) === 0 ? 0 : 1},${count(after)} @@`,
  ];
  return `${[...header, ...hunkLines(old, "-"), ...hunkLines(after, "+")].join("\n")}\n`;
}

export function createMemorySandbox(files: Record<string, string>, answer: Answer): Sandbox {
  const tree = new Map(Object.entries(files));
  const seeded = new Map<string, string>();
  return {
    containerId: "memory",
    workdir: "/workspace",
    async exec(command): Promise<ExecResult> {
      const { exitCode = 0, stdout = "", stderr = "" } = answer(command);
      return { exitCode, stdout, stderr, truncated: false, timedOut: false, durationMs: 0 };
    },
    async readFile(path) {
      const content = tree.get(path);
      if (content === undefined) {
        throw Object.assign(new Error(`${path}: no such file`), { recoverable: true });
      }
      return Buffer.from(content);
    },
    async writeFile(path, content) {
      tree.set(path, Buffer.from(content).toString("utf8"));
    },
    async seed(treeDir) {
      const tracked = execFileSync("git", ["-C", treeDir, "ls-files", "-z"], { encoding: "utf8" })
        .split("\0")
        .filter(Boolean);
      for (const path of tracked) {
        const content = await readFile(join(treeDir, path), "utf8");
        tree.set(path, content);
        seeded.set(path, content);
      }
    },
    async diff() {
      return [...tree]
        .filter(([path, content]) => seeded.get(path) !== content)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([path, content]) => wholeFilePatch(path, seeded.get(path), content))
        .join("");
    },
    async destroy() {},
  };
}
