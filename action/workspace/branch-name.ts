import type { TaskKind } from "../../core/task.ts";

const MAX_SLUG = 40;

/** Lowercase ASCII words joined by '-': safe in a ref, a URL and a shell (though no shell is used). */
export function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > MAX_SLUG) break;
    slug = next;
  }
  return slug || (words[0]?.slice(0, MAX_SLUG) ?? "") || "task";
}

/** `agent/fix-issue-12-crash-on-empty-input`, with the prefix from config `pr.branchPrefix`. */
export function agentBranchName(prefix: string, kind: TaskKind, id: number | string, title: string): string {
  return `${prefix}${kind}-${id}-${slugify(title)}`;
}
