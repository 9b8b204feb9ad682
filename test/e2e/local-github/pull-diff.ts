import { runGit } from "./git-repos.ts";

/** One file of a pull request's diff, with the lines a review comment may be placed on. */
export interface DiffFile {
  filename: string;
  previousFilename?: string;
  status: "added" | "removed" | "modified" | "renamed";
  blobSha: string;
  additions: number;
  deletions: number;
  patch: string;
  /** Lines of the new file inside a hunk (added or context): where a `side: RIGHT` comment may go. */
  rightLines: Set<number>;
  /** Lines of the old file inside a hunk (removed or context): where a `side: LEFT` comment may go. */
  leftLines: Set<number>;
}

function parsePatch(patch: string): Pick<DiffFile, "additions" | "deletions" | "rightLines" | "leftLines"> {
  const rightLines = new Set<number>();
  const leftLines = new Set<number>();
  let additions = 0;
  let deletions = 0;
  let left = 0;
  let right = 0;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      left = Number(hunk[1]);
      right = Number(hunk[2]);
    } else if (line.startsWith("+")) {
      rightLines.add(right++);
      additions++;
    } else if (line.startsWith("-")) {
      leftLines.add(left++);
      deletions++;
    } else if (line.startsWith(" ")) {
      leftLines.add(left++);
      rightLines.add(right++);
    }
  }
  return { additions, deletions, rightLines, leftLines };
}

/** The diff GitHub shows for a pull request: head against the merge base with base (`base...head`). */
export async function pullDiff(gitDir: string, base: string, head: string): Promise<DiffFile[]> {
  const git = async (args: string[]) => (await runGit(["-C", gitDir, ...args])).toString("utf8");
  const range = `${base}...${head}`;
  const statuses = (await git(["diff", "--name-status", "-M", "-z", range])).split("\0").filter(Boolean);
  const files: DiffFile[] = [];
  for (let i = 0; i < statuses.length; ) {
    const code = statuses[i++]!;
    const renamed = code.startsWith("R");
    const previous = renamed ? statuses[i++]! : undefined;
    const filename = statuses[i++]!;
    const paths = previous ? [previous, filename] : [filename];
    const raw = await git(["diff", "--no-color", "-M", range, "--", ...paths]);
    const patch = raw
      .slice(Math.max(raw.indexOf("\n@@"), 0))
      .replace(/^\n/, "")
      .replace(/\n$/, "");
    const status = renamed ? "renamed" : code === "A" ? "added" : code === "D" ? "removed" : "modified";
    const blobSha = status === "removed" ? "" : (await git(["rev-parse", `${head}:${filename}`])).trim();
    files.push({
      filename,
      ...(previous ? { previousFilename: previous } : {}),
      status,
      blobSha,
      patch,
      ...parsePatch(patch),
    });
  }
  return files;
}
