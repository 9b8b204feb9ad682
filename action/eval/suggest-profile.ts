/**
 * The best profile, offered as a change to the repository's `.github/agent.yml` on a branch of its
 * own (`eval/model-<profile>`), for a person to push and open as a pull request (or for
 * `suggest-pull-request.ts` to open one). Never committed to the current branch, never merged: the
 * team decides. Edited with the `yaml` library's document
 * model, which keeps the file's comments and layout (js-yaml would drop them).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { CONFIG_PATH } from "../../core/config.ts";
import { identityEnv, LOCAL_AGENT } from "../publish/commit.ts";
import { git } from "../workspace/git.ts";
import type { EvalReport } from "./report.ts";

export type Suggestion =
  | { kind: "branch"; branch: string; profile: string; commit: string }
  | { kind: "unchanged"; profile: string; why: string };

export function withModelProfile(configText: string | null, profile: string): string {
  const document = parseDocument(configText ?? "");
  if (document.contents === null) return `model:\n  profile: ${profile}\n`;
  document.setIn(["model", "profile"], profile);
  return document.toString();
}

function currentProfile(configText: string | null): string {
  if (!configText) return "default";
  const value = parseDocument(configText).getIn(["model", "profile"]);
  return typeof value === "string" ? value : "default";
}

async function fileAtCommit(repo: string, commit: string): Promise<string | null> {
  try {
    return (await git(["-C", repo, "show", `${commit}:${CONFIG_PATH}`])).stdout;
  } catch {
    return null;
  }
}

function commitMessage(report: EvalReport, profile: string): string {
  const lines = report.profiles.map(
    (p) =>
      `- ${p.profile} (${p.model}): ${p.resolved}/${p.instances} resolved, ${p.tokensPerInstance} tokens per instance`,
  );
  return `Use model profile ${profile} (inhouse eval)\n\nReplaying ${report.instances.length} closed issues of ${report.repository}:\n${lines.join("\n")}\n`;
}

/**
 * Writes the suggestion as one commit on a new branch, built without touching the working tree or
 * index, on top of `base` (HEAD, or the default branch just fetched when it becomes a pull request).
 */
export async function suggestProfile(repo: string, report: EvalReport, base = "HEAD"): Promise<Suggestion> {
  const profile = report.best;
  if (!profile) return { kind: "unchanged", profile: "", why: "no profile resolved any instance" };
  const before = await fileAtCommit(repo, base);
  if (currentProfile(before) === profile)
    return { kind: "unchanged", profile, why: `${CONFIG_PATH} already uses ${profile}` };
  const blob = (
    await git(["-C", repo, "hash-object", "-w", "--stdin"], { input: withModelProfile(before, profile) })
  ).stdout.trim();
  // A private index: the user's own index and working tree stay as they are.
  const gitDir = (await git(["-C", repo, "rev-parse", "--absolute-git-dir"])).stdout.trim();
  const env = { GIT_INDEX_FILE: join(gitDir, "inhouse-eval-index") };
  let tree: string;
  try {
    await git(["-C", repo, "read-tree", base], { env });
    await git(["-C", repo, "update-index", "--add", "--cacheinfo", `100644,${blob},${CONFIG_PATH}`], { env });
    tree = (await git(["-C", repo, "write-tree"], { env })).stdout.trim();
  } finally {
    await rm(env.GIT_INDEX_FILE, { force: true });
  }
  const commit = (
    await git(["-C", repo, "commit-tree", tree, "-p", base, "-F", "-"], {
      input: commitMessage(report, profile),
      env: identityEnv(LOCAL_AGENT),
    })
  ).stdout.trim();
  const branch = `eval/model-${profile}`;
  await git(["-C", repo, "branch", "--force", branch, commit]);
  return { kind: "branch", branch, profile, commit };
}
