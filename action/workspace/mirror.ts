import { mkdir, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { GitAuth } from "./auth-header.ts";
import { git } from "./git.ts";
import { withDirectoryLock } from "./lock.ts";

export interface MirrorOptions {
  cacheDir: string;
  owner: string;
  name: string;
  /** Credential-free remote URL (`https://github.com/o/r.git`, or `file://` in tests). */
  remoteUrl: string;
  auth: GitAuth;
}

export function mirrorPath(cacheDir: string, owner: string, name: string): string {
  return join(cacheDir, "mirrors", owner, `${name}.git`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * A bare mirror per repository in the runner's cache, fetched before every task so the task's
 * clone borrows almost every object from it. Only branches and tags are mirrored: GitHub's
 * `refs/pull/*` would make the mirror grow with every PR ever opened.
 */
export async function updateMirror(options: MirrorOptions): Promise<string> {
  const path = mirrorPath(options.cacheDir, options.owner, options.name);
  await mkdir(dirname(path), { recursive: true });
  return withDirectoryLock(`${path}.lock`, async () => {
    if (!(await exists(join(path, "HEAD")))) {
      await rm(path, { recursive: true, force: true });
      await git(["init", "--bare", "--quiet", path]);
      await git(["-C", path, "config", "remote.origin.url", options.remoteUrl]);
      await git(["-C", path, "config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*"]);
      await git(["-C", path, "config", "--add", "remote.origin.fetch", "+refs/tags/*:refs/tags/*"]);
      await git(["-C", path, "config", "gc.auto", "0"]);
    } else {
      await git(["-C", path, "config", "remote.origin.url", options.remoteUrl]);
    }
    await git(["-C", path, "fetch", "--prune", "--quiet", "--no-write-fetch-head", "origin"], {
      config: options.auth.config,
      secrets: options.auth.secrets,
    });
    return path;
  });
}
