/**
 * Lines of the PR's new side that GitHub accepts review comments on: added and context lines
 * inside the hunks of the file's patch. A comment anywhere else is rejected with 422.
 */
export function commentableLines(patch: string | undefined): Set<number> {
  const lines = new Set<number>();
  if (!patch) return lines;
  let right = 0;
  let inHunk = false;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      right = Number(hunk[1]);
      inHunk = true;
    } else if (!inHunk || line.startsWith("\\")) {
    } else if (line.startsWith("+") || line.startsWith(" ") || line === "") {
      lines.add(right);
      right++;
    }
  }
  return lines;
}

/**
 * The hunk (by index) each line of the new side of a file's patch falls in: a multi-line review
 * comment must start and end in the same hunk ("Pull request review thread start line must be part
 * of the same hunk as the line.").
 */
export function rightSideHunks(patch: string | undefined): Map<number, number> {
  const hunks = new Map<number, number>();
  if (!patch) return hunks;
  let hunk = -1;
  let right = 0;
  for (const line of patch.split("\n")) {
    const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (header) {
      hunk += 1;
      right = Number(header[1]);
    } else if (hunk < 0 || line.startsWith("\\") || line.startsWith("-")) {
    } else if (line.startsWith("+") || line.startsWith(" ") || line === "") {
      hunks.set(right, hunk);
      right++;
    }
  }
  return hunks;
}
