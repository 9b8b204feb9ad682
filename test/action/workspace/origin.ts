import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const identity = {
  GIT_AUTHOR_NAME: "Origin",
  GIT_AUTHOR_EMAIL: "origin@example.com",
  GIT_COMMITTER_NAME: "Origin",
  GIT_COMMITTER_EMAIL: "origin@example.com",
};

export function sh(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, ...identity } });
}

export interface Origin {
  /** Bare repository playing GitHub. */
  bare: string;
  url: string;
  /** A clone with push access, to move branches behind the action's back. */
  work: string;
  root: string;
  commit(files: Record<string, string>, message?: string, branch?: string): Promise<string>;
}

/** A local bare repository as the remote (`file://`), with `main` holding `files`. */
export async function createOrigin(files: Record<string, string>): Promise<Origin> {
  const root = await mkdtemp(join(tmpdir(), "inhouse-origin-"));
  const bare = join(root, "remote", "repo.git");
  const work = join(root, "seed");
  await mkdir(bare, { recursive: true });
  sh(bare, "init", "-q", "--bare", "-b", "main");
  await mkdir(work);
  sh(work, "init", "-q", "-b", "main");
  sh(work, "remote", "add", "origin", bare);
  const commit = async (more: Record<string, string>, message = "change", branch = "main") => {
    const current = sh(work, "rev-parse", "--abbrev-ref", "HEAD").trim();
    if (current !== branch) {
      const exists = sh(work, "branch", "--list", branch).trim() !== "";
      sh(work, "checkout", "-q", ...(exists ? [branch] : ["-b", branch]));
    }
    for (const [path, content] of Object.entries(more)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    sh(work, "add", "-A");
    sh(work, "commit", "-q", "-m", message);
    sh(work, "push", "-q", "origin", `HEAD:refs/heads/${branch}`);
    return sh(work, "rev-parse", "HEAD").trim();
  };
  // `git rev-parse --abbrev-ref HEAD` needs a commit; the first one is made on main directly.
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(work, path)), { recursive: true });
    await writeFile(join(work, path), content);
  }
  sh(work, "add", "-A");
  sh(work, "commit", "-q", "-m", "initial");
  sh(work, "push", "-q", "origin", "HEAD:refs/heads/main");
  return { bare, url: `file://${bare}`, work, root, commit };
}
