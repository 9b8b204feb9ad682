export interface PatchFile {
  /** Path before the change (`/dev/null` side omitted). */
  oldPath?: string;
  newPath?: string;
  binary: boolean;
}

function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  // git C-quotes unusual names: "a/t\303\251st" — decode octal escapes as UTF-8 bytes.
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== "\\") {
      bytes.push(...Buffer.from(ch, "utf8"));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else
      bytes.push(({ n: 10, t: 9, '"': 34, "\\": 92 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}

function stripPrefix(path: string): string | undefined {
  const clean = unquote(path.trim());
  if (clean === "/dev/null") return undefined;
  return clean.replace(/^[ab]\//, "");
}

/**
 * The files a `git diff --binary` patch touches, from its `---`/`+++`, rename and copy lines, so
 * a rename out of a protected directory counts as touching it.
 */
export function patchFiles(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let current: PatchFile | undefined;
  for (const line of patch.split("\n")) {
    if (line.startsWith("diff --git ")) {
      const match = /^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/.exec(line);
      current = {
        oldPath: match ? stripPrefix(match[1]!) : undefined,
        newPath: match ? stripPrefix(match[2]!) : undefined,
        binary: false,
      };
      files.push(current);
    } else if (!current) {
    } else if (line.startsWith("--- ")) current.oldPath = stripPrefix(line.slice(4));
    else if (line.startsWith("+++ ")) current.newPath = stripPrefix(line.slice(4));
    else if (/^(rename|copy) from /.test(line))
      current.oldPath = unquote(line.replace(/^(rename|copy) from /, ""));
    else if (/^(rename|copy) to /.test(line))
      current.newPath = unquote(line.replace(/^(rename|copy) to /, ""));
    else if (line.startsWith("new file mode")) current.oldPath = undefined;
    else if (line.startsWith("deleted file mode")) current.newPath = undefined;
    else if (line === "GIT binary patch" || line.startsWith("Binary files ")) current.binary = true;
  }
  return files;
}

/** Every path a patch reads or writes, deduplicated. */
export function touchedPaths(files: PatchFile[]): string[] {
  return [...new Set(files.flatMap((f) => [f.oldPath, f.newPath].filter((p): p is string => !!p)))];
}
