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
