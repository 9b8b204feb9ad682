import type { RepoConfig } from "../../core/config.ts";
import { changeBytes } from "./change-size.ts";
import { applyPatch, discardStaged } from "./commit.ts";
import { checkChange, type PatchLimits } from "./patch-policy.ts";
import { secretsInChange } from "./secret-scan.ts";
import { readStagedChange } from "./staged-change.ts";

export interface JudgeInput {
  /** The host's clone of the task's base; the patch is applied to it and its index. */
  dir: string;
  patch: string;
  config: Pick<RepoConfig, "protectedPaths" | "allowProtectedPathChanges">;
  limits: PatchLimits;
  redact: (text: string) => string;
}

export type Judgement =
  | { kind: "no-changes" }
  | { kind: "staged"; paths: string[] }
  | { kind: "refused"; paths: string[]; reasons: string[] };

/**
 * Issue #13, item 1: the patch is only a way to carry the sandbox's tree to the host. It is
 * applied to the host's clone, and every decision reads what git staged from it (paths, modes, blob
 * sizes, contents), never the patch text, which the sandbox wrote. A refused change is unstaged
 * again; an accepted one stays staged for `commitStaged`.
 */
export async function judgePatch(input: JudgeInput): Promise<Judgement> {
  await applyPatch(input.dir, input.patch);
  const files = await readStagedChange(input.dir);
  if (files.length === 0) return { kind: "no-changes" };
  const verdict = checkChange(files, await changeBytes(input.dir, files), input.config, input.limits);
  const secret = verdict.ok ? await secretsInChange(input.dir, files, input.redact) : undefined;
  const reasons = verdict.ok ? (secret ? [secret] : []) : verdict.reasons;
  if (reasons.length === 0) return { kind: "staged", paths: verdict.paths };
  await discardStaged(input.dir);
  return { kind: "refused", paths: verdict.paths, reasons };
}
