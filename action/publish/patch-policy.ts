import type { RepoConfig } from "../../core/config.ts";
import { compileGlobs, PATH_LIMITS, pathTooLong } from "../../core/glob.ts";
import { type PatchFile, patchFiles, touchedPaths } from "./patch-files.ts";

export interface PatchLimits {
  maxBytes: number;
  maxFiles: number;
}

export type PatchVerdict =
  | { ok: true; files: PatchFile[]; paths: string[] }
  | { ok: false; files: PatchFile[]; paths: string[]; reasons: string[] };

/**
 * Invariant 5: the agent never changes a protected path (unless the repository allows it) and
 * never publishes a diff larger than the runner's administrator allows.
 */
export function checkPatch(
  patch: string,
  config: Pick<RepoConfig, "protectedPaths" | "allowProtectedPathChanges">,
  limits: PatchLimits,
): PatchVerdict {
  const files = patchFiles(patch);
  const paths = touchedPaths(files);
  const reasons: string[] = [];
  const bytes = Buffer.byteLength(patch, "utf8");
  if (bytes > limits.maxBytes) {
    reasons.push(
      `the change is ${bytes} bytes, over the runner's limit of ${limits.maxBytes} (input max-patch-bytes); split the task into smaller ones`,
    );
  }
  if (files.length > limits.maxFiles) {
    reasons.push(
      `the change touches ${files.length} files, over the runner's limit of ${limits.maxFiles} (input max-changed-files)`,
    );
  }
  if (paths.some((p) => p === ".git" || p.startsWith(".git/") || p.split("/").includes(".."))) {
    reasons.push("the change touches .git or a path outside the repository");
  }
  const judged = paths.filter((path) => !pathTooLong(path));
  if (judged.length < paths.length) {
    reasons.push(
      `the change has a path longer than ${PATH_LIMITS.bytes} bytes or a name longer than ${PATH_LIMITS.segmentBytes} bytes, which no checkout can hold`,
    );
  }
  if (!config.allowProtectedPathChanges) {
    const protectedBy = compileGlobs(config.protectedPaths);
    const hits = judged
      .map((path) => ({ path, pattern: protectedBy(path) }))
      .filter((hit) => hit.pattern !== undefined);
    if (hits.length > 0) {
      const list = hits.map((h) => `\`${h.path}\` (matches \`${h.pattern}\`)`).join(", ");
      reasons.push(
        `the change touches protected paths: ${list}. Make that change by hand, or set allowProtectedPathChanges: true in .github/agent.yml`,
      );
    }
  }
  return reasons.length > 0 ? { ok: false, files, paths, reasons } : { ok: true, files, paths };
}
