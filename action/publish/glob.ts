/**
 * Glob to RegExp for protected paths: `**` crosses directories, `*` and `?` do not, a pattern
 * without a slash matches the name at any depth (gitignore style), a trailing `/` means everything
 * under it. Small and explicit so the rule is readable where it is enforced.
 */
export function globToRegExp(pattern: string): RegExp {
  let glob = pattern.replace(/^\.\//, "");
  if (glob.endsWith("/")) glob += "**";
  const anchored = glob.includes("/") && !glob.startsWith("**/");
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*" && glob[i + 1] === "*") {
      const slashAfter = glob[i + 2] === "/";
      source += slashAfter ? "(?:.*/)?" : ".*";
      i += slashAfter ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const prefix = anchored || glob.startsWith("**/") ? "^" : "^(?:.*/)?";
  // A pattern naming a directory protects what is inside it too.
  return new RegExp(`${prefix}${source}(?:/.*)?$`);
}

export function matchesAny(path: string, patterns: string[]): string | undefined {
  return patterns.find((pattern) => globToRegExp(pattern).test(path));
}
