import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveRef, runGit } from "./git-repos.ts";

/**
 * The git side of `createCommitOnBranch`: a commit whose parent is the branch's head, with the
 * given files added (every one as a regular file, mode 100644) and deleted, and the branch moved to
 * it only if it still points where the caller expected. The rules, from the mutation's input docs
 * (GraphQL reference, "FileChanges", https://docs.github.com/en/graphql/reference/input-objects#filechanges):
 * paths are unique across additions and deletions; contents are strict RFC 4648 base64; a deleted
 * path must exist on the branch; paths are not slash-prefixed.
 */
export interface FileChangesInput {
  additions?: Array<{ path: string; contents: string }> | null;
  deletions?: Array<{ path: string }> | null;
}

export class CommitInputError extends Error {}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkPath(path: string): void {
  if (
    path === "" ||
    path.startsWith("/") ||
    path.split("/").some((part) => part === "" || part === "." || part === "..")
  ) {
    throw new CommitInputError(
      `"${path}" is not a valid path: paths are relative, slash-separated and not slash-prefixed`,
    );
  }
}

/** Writes `contents` as a blob and returns its oid. */
function hashObject(gitDir: string, contents: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("git", ["-C", gitDir, "hash-object", "-w", "--stdin"], (error, stdout) =>
      error ? reject(error) : resolve(stdout.trim()),
    );
    child.stdin?.end(contents);
  });
}

/** `git update-index --index-info`: works in a bare repository, one `<mode> <oid>\t<path>` line per entry (mode 0 removes). */
function updateIndex(gitDir: string, env: Record<string, string>, entries: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      ["-C", gitDir, "update-index", "--index-info"],
      { env: { ...process.env, ...env } },
      (error) =>
        error
          ? reject(new CommitInputError(`the file changes cannot be applied: ${error.message}`))
          : resolve(),
    );
    child.stdin?.end(entries.map((line) => `${line}\n`).join(""));
  });
}

export interface CommitSpec {
  gitDir: string;
  branch: string;
  parent: string;
  changes: FileChangesInput;
  message: string;
  author: { name: string; email: string };
  committer: { name: string; email: string };
}

/** Builds the commit in a scratch index and returns its oid (the branch is not moved here). */
export async function buildCommit(spec: CommitSpec): Promise<string> {
  const additions = spec.changes.additions ?? [];
  const deletions = spec.changes.deletions ?? [];
  const paths = [...additions, ...deletions].map((change) => change.path);
  for (const path of paths) checkPath(path);
  const duplicate = paths.find((path, index) => paths.indexOf(path) !== index);
  if (duplicate)
    throw new CommitInputError(`"${duplicate}" appears more than once in fileChanges; paths must be unique`);
  for (const addition of additions) {
    if (!STRICT_BASE64.test(addition.contents)) {
      throw new CommitInputError(
        `The contents of "${addition.path}" are not valid base64 (RFC 4648, with padding)`,
      );
    }
  }
  const scratch = await mkdtemp(join(tmpdir(), "local-github-index-"));
  const env = { GIT_INDEX_FILE: join(scratch, "index") };
  const git = (args: string[]) => runGit(["-C", spec.gitDir, ...args], { env });
  try {
    await git(["read-tree", spec.parent]);
    const entries: string[] = [];
    for (const { path } of deletions) {
      if ((await git(["ls-tree", "--name-only", spec.parent, "--", path])).toString() === "") {
        throw new CommitInputError(
          `A path was requested for deletion which does not exist as of commit oid \`${spec.parent}\``,
        );
      }
      entries.push(`0 ${"0".repeat(40)}\t${path}`);
    }
    for (const { path, contents } of additions) {
      entries.push(`100644 ${await hashObject(spec.gitDir, Buffer.from(contents, "base64"))}\t${path}`);
    }
    await updateIndex(spec.gitDir, env, entries);
    const tree = await git(["write-tree"])
      .then((out) => out.toString().trim())
      .catch(() => {
        throw new CommitInputError("the file changes put a file and a directory at the same path");
      });
    const who = {
      GIT_AUTHOR_NAME: spec.author.name,
      GIT_AUTHOR_EMAIL: spec.author.email,
      GIT_COMMITTER_NAME: spec.committer.name,
      GIT_COMMITTER_EMAIL: spec.committer.email,
    };
    const commit = await runGit(
      ["-C", spec.gitDir, "commit-tree", tree, "-p", spec.parent, "-m", spec.message],
      {
        env: { ...env, ...who },
      },
    );
    return commit.toString().trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Moves the branch from `expected` to `commit`; false when it no longer points at `expected`. */
export async function moveBranch(
  gitDir: string,
  branch: string,
  commit: string,
  expected: string,
): Promise<boolean> {
  if ((await resolveRef(gitDir, `refs/heads/${branch}`)) !== expected) return false;
  try {
    await runGit(["-C", gitDir, "update-ref", `refs/heads/${branch}`, commit, expected]);
    return true;
  } catch {
    return false;
  }
}
