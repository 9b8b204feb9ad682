import { mkdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { GitAuth } from "./auth-header.ts";
import { git } from "./git.ts";
import { withDirectoryLock } from "./lock.ts";
import { type Freshness, isFreshEnough, recordFetch } from "./mirror-freshness.ts";

export interface MirrorOptions {
  cacheDir: string;
  owner: string;
  name: string;
  /** Credential-free remote URL (`https://github.com/o/r.git`, or `file://` in tests). */
  remoteUrl: string;
  auth: GitAuth;
  /** Refs outside branches and tags this task needs, e.g. `refs/pull/7/head`. */
  extraRefs?: string[];
  /** When the mirror may be used without fetching (see `isFreshEnough`); absent, it always fetches. */
  freshness?: Freshness;
}

export function mirrorPath(cacheDir: string, owner: string, name: string): string {
  return join(cacheDir, "mirrors", owner, `${name}.git`);
}

/** Where the mirror keeps a ref that is not a branch or tag: `refs/pull/7/head` → `refs/inhouse/pull/7/head`. */
export function mirrorRefFor(remoteRef: string): string {
  return /^refs\/(heads|tags)\//.test(remoteRef)
    ? remoteRef
    : `refs/inhouse/${remoteRef.replace(/^refs\//, "")}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * A bare mirror per repository in the runner's cache. The task's one network fetch goes here;
 * the task's clone is then made from the mirror on the local disk. Only branches and tags are kept
 * (GitHub's `refs/pull/*` would grow with every PR ever opened), plus the PR heads tasks asked for.
 * `work` runs under the mirror's lock, so no other task prunes a ref between fetch and clone.
 */
export async function withMirror<T>(
  options: MirrorOptions,
  work: (mirror: string) => Promise<T>,
): Promise<T> {
  const path = mirrorPath(options.cacheDir, options.owner, options.name);
  await mkdir(dirname(path), { recursive: true });
  return withDirectoryLock(`${path}.lock`, async () => {
    if (!(await exists(join(path, "HEAD")))) {
      await rm(path, { recursive: true, force: true });
      await git(["init", "--bare", "--quiet", path]);
    }
    if (!(options.freshness && (await isFreshEnough(path, options.freshness))))
      await fetchInto(path, options);
    return work(path);
  });
}

async function fetchInto(path: string, options: MirrorOptions): Promise<void> {
  const refspecs = [
    "+refs/heads/*:refs/heads/*",
    "+refs/tags/*:refs/tags/*",
    ...(options.extraRefs ?? []).map((ref) => `+${ref}:${mirrorRefFor(ref)}`),
  ];
  const started = Date.now();
  // The URL is given on the command line, never stored: the mirror's config holds no remote at all.
  // What a fetch brings stays one pack (fetch.unpackLimit=1) rather than loose objects (git's default
  // under 100 objects): a mirror that lives through many tasks would otherwise pile up thousands of
  // loose objects, and every task's clone links each one.
  await git(
    ["-C", path, "fetch", "--prune", "--quiet", "--no-write-fetch-head", options.remoteUrl, ...refspecs],
    {
      config: [...options.auth.config, "fetch.unpackLimit=1"],
      secrets: options.auth.secrets,
    },
  );
  await recordFetch(path, started);
}

export function updateMirror(options: MirrorOptions): Promise<string> {
  return withMirror(options, async (path) => path);
}
