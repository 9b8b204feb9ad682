import { isInvisibleCodePoint } from "../../core/invisible-characters.ts";

/**
 * Names the host will not publish, whatever the patch said: a name git could store but that some
 * checkout, terminal or review screen reads differently. Refused, never skipped, so nothing the
 * policy did not judge reaches the branch.
 */

/** C0 and C1 controls, DEL, and the invisible and bidi characters of core/invisible-characters.ts. */
function isUnsafeCharacter(ch: string): boolean {
  return isInvisibleCodePoint(ch.codePointAt(0)!) || ch === "\t" || ch === "\n";
}

/**
 * `.git` as some file system resolves it: any case (Windows, macOS), trailing dots and spaces
 * (Windows), the 8.3 short name `git~1` (Windows). git's own `verify_path` has the same list
 * (`is_ntfs_dotgit`, `is_hfs_dotgit`; HFS ignores the invisible characters refused above).
 */
function isGitDirectoryName(segment: string): boolean {
  const name = segment.toLowerCase().replace(/[. ]+$/, "");
  return name === ".git" || name === "git~1";
}

/** Why a path cannot be published safely, or undefined when it can. */
export function unsafePathReason(path: string): string | undefined {
  if (path === "" || path.startsWith("/")) return "is empty or absolute";
  if ([...path].some(isUnsafeCharacter)) return "holds a control or invisible character";
  const segments = path.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..")) return "has an empty, `.` or `..` component";
  if (segments.some(isGitDirectoryName)) return "names git's own directory (.git in some spelling)";
  return undefined;
}

/** A path shown in a reason: JSON-quoted and invisible characters spelled out, so nothing in it is inert or hidden. */
export function showPath(path: string): string {
  const quoted = [...JSON.stringify(path).slice(1, -1)]
    .map((ch) => (isUnsafeCharacter(ch) ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch))
    .join("");
  return `\`${quoted.replaceAll("`", "\\u{60}")}\``;
}
