import type { RepoConfig } from "../../core/config.ts";
import { compileGlobs, PATH_LIMITS, pathTooLong } from "../../core/glob.ts";
import { showPath, unsafePathReason } from "./path-safety.ts";
import type { StagedFile } from "./staged-change.ts";

export interface PatchLimits {
  maxBytes: number;
  maxFiles: number;
}

export type PatchVerdict = { ok: true; paths: string[] } | { ok: false; paths: string[]; reasons: string[] };

const GITLINK = "160000";

/**
 * Invariant 5, judged on what git will publish (the host's index, `staged-change.ts`), never on
 * the sandbox's patch text: the agent never changes a protected path (unless the repository allows
 * it), never publishes more bytes or files than the runner's administrator allows, never writes a
 * name that cannot be handled safely, and never adds or moves a submodule.
 */
export function checkChange(
  files: readonly StagedFile[],
  bytes: number,
  config: Pick<RepoConfig, "protectedPaths" | "allowProtectedPathChanges">,
  limits: PatchLimits,
): PatchVerdict {
  const reasons: string[] = [];
  const paths = files.flatMap((f) => (f.path === undefined ? [] : [f.path]));
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
  const notUtf8 = files.filter((f) => f.path === undefined);
  if (notUtf8.length > 0) {
    const shown = notUtf8.map((f) => `\`${JSON.stringify(f.rawPath.toString("latin1")).slice(1, -1)}\``);
    reasons.push(`the change has file names that are not UTF-8 (${shown.join(", ")}); rename them`);
  }
  const unsafe = paths.flatMap((path) => {
    const why = unsafePathReason(path);
    return why ? [`${showPath(path)} ${why}`] : [];
  });
  if (unsafe.length > 0)
    reasons.push(`the change has file names that cannot be published safely: ${unsafe.join(", ")}`);
  const judged = paths.filter((path) => !pathTooLong(path));
  if (judged.length < paths.length) {
    reasons.push(
      `the change has a path longer than ${PATH_LIMITS.bytes} bytes or a name longer than ${PATH_LIMITS.segmentBytes} bytes, which no checkout can hold`,
    );
  }
  const submodules = files.filter((f) => f.oldMode === GITLINK || f.newMode === GITLINK);
  if (submodules.length > 0) {
    const list = submodules.map((f) => showPath(f.path ?? "?")).join(", ");
    reasons.push(`the change adds, moves or updates submodules (${list}); make that change by hand`);
  }
  if (!config.allowProtectedPathChanges) {
    const protectedBy = compileGlobs(config.protectedPaths);
    const hits = judged
      .map((path) => ({ path, pattern: protectedBy(path) }))
      .filter((hit) => hit.pattern !== undefined);
    if (hits.length > 0) {
      const list = hits.map((h) => `${showPath(h.path)} (matches \`${h.pattern}\`)`).join(", ");
      reasons.push(
        `the change touches protected paths: ${list}. Make that change by hand, or set allowProtectedPathChanges: true in .github/agent.yml`,
      );
    }
  }
  return reasons.length > 0 ? { ok: false, paths, reasons } : { ok: true, paths };
}
