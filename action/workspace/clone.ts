import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { git } from "./git.ts";
import { linkObjects } from "./link-objects.ts";
import { mirrorRefFor } from "./mirror.ts";
import { readRefs, writePackedRefs } from "./mirror-refs.ts";

/** A ref the task needs besides its branch: `refs/pull/7/head` as `refs/remotes/origin/pull/7`. */
export interface ExtraRef {
  remote: string;
  local: string;
}

export interface CloneOptions {
  /** Bare mirror in the runner cache, just fetched; its packs are hardlinked (or copied) into the clone. */
  mirror: string;
  /** Recorded as `origin` for the push; nothing is fetched from it here. */
  remoteUrl: string;
  dir: string;
  /** Branch to clone (the default branch, or a same-repo PR's head branch). */
  branch: string;
  /** Further refs, already in the mirror (see `withMirror`'s `extraRefs`). */
  extraRefs?: ExtraRef[];
  /** Commit-ish the working branch starts from; defaults to `origin/<branch>`. */
  startPoint?: string;
  /** Local branch to create and check out. */
  localBranch: string;
}

/**
 * A task's working tree, made from the warm mirror on the local disk: the mirror's packs hardlinked
 * (copied across filesystems), its refs written as files. No network, no repack, and unlike
 * `--reference` no alternates file pointing at the runner's cache, so the tree is self-contained
 * and can be seeded into the sandbox as it is.
 */
export async function cloneWorkspace(options: CloneOptions): Promise<void> {
  await fetchWorkspace(options);
  await checkoutWorkspace(options);
}

/**
 * The objects and refs of a task's clone, without a working tree: what `git clone --local
 * --single-branch --no-checkout` gives, in one git process instead of four (clone, the
 * upload-pack it starts to list refs, `remote set-url`, a fetch of the extra refs). Every object
 * of the mirror is linked, so the extra refs need nothing fetched.
 */
export async function fetchWorkspace(options: CloneOptions): Promise<void> {
  const extras = options.extraRefs ?? [];
  const branchRef = `refs/heads/${options.branch}`;
  const wanted = [branchRef, ...extras.map((ref) => mirrorRefFor(ref.remote))];
  const found = await readRefs(options.mirror, wanted);
  const missing = wanted.filter((ref) => !found.has(ref));
  if (missing.length > 0) {
    throw new Error(`${missing.join(", ")} not found in ${options.remoteUrl} (a branch deleted or renamed?)`);
  }
  await git(["init", "--quiet", "--template=", ...(await objectFormatOption(options.mirror)), options.dir]);
  const gitDir = join(options.dir, ".git");
  await linkObjects(join(options.mirror, "objects"), join(gitDir, "objects"));
  const refs = new Map([[`refs/remotes/origin/${options.branch}`, found.get(branchRef)!]]);
  for (const ref of extras) refs.set(ref.local, found.get(mirrorRefFor(ref.remote))!);
  await writePackedRefs(gitDir, refs);
  await appendFile(join(gitDir, "config"), originConfig(options.remoteUrl, options.branch));
}

/** A value in git's config syntax (git-config(1), "Syntax"): quoted only when it must be, as git writes it. */
function configValue(value: string): string {
  if (/[\0\n]/.test(value)) throw new Error(`${JSON.stringify(value)} cannot be a remote URL`);
  if (!/["\\#;]|^\s|\s$/.test(value)) return value;
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** `origin` as a single-branch clone records it: the real remote (for the push), never the mirror. */
function originConfig(remoteUrl: string, branch: string): string {
  const fetch = `+refs/heads/${branch}:refs/remotes/origin/${branch}`;
  return `[remote "origin"]\n\turl = ${configValue(remoteUrl)}\n\tfetch = ${configValue(fetch)}\n`;
}

/** A SHA-256 mirror makes a SHA-256 clone (`extensions.objectFormat`, gitrepository-layout(5)). */
async function objectFormatOption(mirror: string): Promise<string[]> {
  const config = await readFile(join(mirror, "config"), "utf8").catch(() => "");
  return /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? ["--object-format=sha256"] : [];
}

/** The working tree on the local branch; parallel checkout, since a large tree is most of a warm clone's time. */
export async function checkoutWorkspace(
  options: Pick<CloneOptions, "dir" | "branch" | "startPoint" | "localBranch">,
): Promise<void> {
  const start = options.startPoint ?? `refs/remotes/origin/${options.branch}`;
  await git(["-C", options.dir, "checkout", "--quiet", "-B", options.localBranch, start, "--"], {
    config: ["checkout.workers=0"],
  });
}

export async function headSha(dir: string): Promise<string> {
  return (await git(["-C", dir, "rev-parse", "HEAD"])).stdout.trim();
}
