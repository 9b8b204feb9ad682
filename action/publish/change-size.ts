import { git } from "../workspace/git.ts";
import type { StagedFile } from "./staged-change.ts";

const GIT_DIFF_PLAIN = ["--no-ext-diff", "--no-textconv", "--no-renames", "--no-color"];

/** Paths (as raw bytes, latin1) whose staged change git counts as binary (`-` in `--numstat`). */
async function binaryPaths(dir: string): Promise<Set<string>> {
  const numstat = await git(["-C", dir, "diff", "--cached", "--numstat", "-z", ...GIT_DIFF_PLAIN, "HEAD"]);
  const binary = new Set<string>();
  for (const record of numstat.raw.toString("latin1").split("\0")) {
    const match = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(record);
    if (match?.[1] === "-") binary.add(match[3]!);
  }
  return binary;
}

/** Bytes of the lines a `-U0` diff adds, read from its hunk headers (`@@ -a,b +c,d @@`). */
function addedLineBytes(diff: string): number {
  let bytes = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of diff.split("\n")) {
    if (oldLeft + newLeft > 0) {
      if (line.startsWith("+")) {
        bytes += Buffer.byteLength(line, "latin1"); // the "+" stands in for the newline
        newLeft--;
      } else if (line.startsWith("-")) oldLeft--;
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
    }
  }
  return bytes;
}

/**
 * The bytes a change publishes, measured on the host's objects: the whole content of every added
 * file and every changed binary file (a compressed `GIT binary patch` is no measure of what lands),
 * and the added lines of every changed text file.
 */
export async function changeBytes(dir: string, files: readonly StagedFile[]): Promise<number> {
  const binary = await binaryPaths(dir);
  let bytes = 0;
  let textChanged = false;
  for (const file of files) {
    if (file.status === "D") continue;
    if (file.status === "A" || binary.has(file.rawPath.toString("latin1"))) bytes += file.newSize;
    else textChanged = true;
  }
  if (textChanged) {
    const diff = await git(
      ["-C", dir, "diff", "--cached", "-U0", "--diff-filter=MT", ...GIT_DIFF_PLAIN, "HEAD"],
      {},
    );
    bytes += addedLineBytes(diff.raw.toString("latin1"));
  }
  return bytes;
}
