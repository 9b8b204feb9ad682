import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** Bare repositories on disk: what git clients clone and push, and what the API reads refs and files from. */

const GIT_ENV = {
  GIT_AUTHOR_NAME: "Local GitHub",
  GIT_AUTHOR_EMAIL: "local-github@example.com",
  GIT_COMMITTER_NAME: "Local GitHub",
  GIT_COMMITTER_EMAIL: "local-github@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
  LC_ALL: "C",
};

export function runGit(
  args: string[],
  options: { cwd?: string; encoding?: "buffer"; env?: Record<string, string> } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...GIT_ENV, ...options.env },
        encoding: "buffer",
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(`git ${args.join(" ")} failed: ${stderr.toString("utf8").trim() || error.message}`),
          );
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

const gitText = async (args: string[], cwd?: string): Promise<string> =>
  (await runGit(args, cwd === undefined ? {} : { cwd })).toString("utf8").trim();

export async function createBareRepo(gitDir: string, defaultBranch: string): Promise<void> {
  await mkdir(dirname(gitDir), { recursive: true });
  await runGit(["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, gitDir]);
  // Push over smart HTTP is off by default. Force pushes are GitHub's to refuse, by branch rule (`branch-rules.ts`).
  await runGit(["-C", gitDir, "config", "http.receivepack", "true"]);
  // GitHub owns refs/pull/*: clients fetch them but a push to them is refused.
  await runGit(["-C", gitDir, "config", "receive.hideRefs", "refs/pull"]);
}

export async function updateRef(gitDir: string, ref: string, sha: string): Promise<void> {
  await runGit(["-C", gitDir, "update-ref", ref, sha]);
}

/** Seed content: a directory to copy, or file paths mapped to their text. */
export type RepoFiles = string | Record<string, string>;

/**
 * Commits `files` as one commit on `branch` and pushes it into the bare repository. The commit goes
 * on top of the branch, or of `startFrom` when the branch does not exist yet.
 */
export async function commitFiles(
  gitDir: string,
  branch: string,
  files: RepoFiles,
  message: string,
  startFrom?: string,
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), "local-github-seed-"));
  try {
    await runGit(["init", "--quiet", `--initial-branch=${branch}`, work]);
    const existing = await resolveRef(gitDir, `refs/heads/${branch}`);
    const parent = existing ? branch : startFrom;
    if (parent && (await resolveRef(gitDir, `refs/heads/${parent}`))) {
      await runGit(["fetch", "--quiet", gitDir, `refs/heads/${parent}`], { cwd: work });
      await runGit(["reset", "--quiet", "--hard", "FETCH_HEAD"], { cwd: work });
    }
    if (typeof files === "string") {
      await cp(files, work, { recursive: true, filter: (source) => !source.endsWith("/.git") });
    } else {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), text);
      }
    }
    await runGit(["add", "--all"], { cwd: work });
    await runGit(["commit", "--quiet", "--allow-empty", "-m", message], { cwd: work });
    await runGit(["push", "--quiet", gitDir, `HEAD:refs/heads/${branch}`], { cwd: work });
    return await gitText(["rev-parse", "HEAD"], work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function resolveRef(gitDir: string, ref: string): Promise<string | undefined> {
  const branch = await readBranchFiles(gitDir, ref);
  if (branch !== "ask-git") return branch;
  try {
    return await gitText(["-C", gitDir, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    return undefined;
  }
}

/** A branch name git would accept, so that the ref's file is inside the repository (`git check-ref-format`). */
const PLAIN_BRANCH = /^refs\/heads\/(?!\.|.*(?:\.\.|\/\/|\/\.|\.lock(?:\/|$)|[/.]$))[A-Za-z0-9._/-]+$/;
const SHA = /^[0-9a-f]{40}$/;

/**
 * A branch's commit as git itself stores it, read without starting git (each API read of a file or a
 * dispatch resolves its ref; a process per request was most of the local GitHub's cost under load):
 * the loose ref file, else its line in `packed-refs`, else no such branch. A symbolic ref, a ref name
 * outside the plain form, or an unexpected file leaves it to `git rev-parse` ("ask-git"). Git
 * replaces both files by rename under a lock, so a read sees the old ref or the new one. Branches
 * always point at commits (git refuses to write a non-commit to refs/heads/).
 */
async function readBranchFiles(gitDir: string, ref: string): Promise<string | undefined | "ask-git"> {
  if (!PLAIN_BRANCH.test(ref)) return "ask-git";
  const loose = await readFile(join(gitDir, ref), "utf8").catch(() => undefined);
  if (loose !== undefined) return SHA.test(loose.trim()) ? loose.trim() : "ask-git";
  const packed = await readFile(join(gitDir, "packed-refs"), "utf8").catch(() => "");
  for (const line of packed.split("\n")) {
    const [sha, name] = line.split(" ");
    if (name === ref && sha && SHA.test(sha)) return sha;
  }
  return undefined;
}

/** Branch names map to `refs/heads/<name>`; a full ref or a sha is used as given. */
export async function resolveBranchOrSha(gitDir: string, ref: string): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/.test(ref) || ref.startsWith("refs/")) return resolveRef(gitDir, ref);
  return (await resolveRef(gitDir, `refs/heads/${ref}`)) ?? (await resolveRef(gitDir, `refs/tags/${ref}`));
}

export async function listRefs(gitDir: string): Promise<Map<string, string>> {
  const out = await gitText(["-C", gitDir, "for-each-ref", "--format=%(refname) %(objectname)"]);
  const refs = new Map<string, string>();
  for (const line of out.split("\n").filter(Boolean)) {
    const [ref, sha] = line.split(" ") as [string, string];
    refs.set(ref, sha);
  }
  return refs;
}

export async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  try {
    await runGit(["-C", gitDir, "merge-base", "--is-ancestor", ancestor, descendant]);
    return true;
  } catch {
    return false;
  }
}

export async function countCommits(gitDir: string, base: string, head: string): Promise<number> {
  return Number(await gitText(["-C", gitDir, "rev-list", "--count", `${base}..${head}`]));
}

export interface TreeEntry {
  name: string;
  path: string;
  type: "file" | "dir" | "symlink" | "submodule";
  sha: string;
  size: number;
}

export type PathContent =
  | { kind: "file"; entry: TreeEntry; content: Buffer }
  | { kind: "dir"; entries: TreeEntry[] }
  | { kind: "other"; entry: TreeEntry };

function parseTreeLine(line: string, directory: string): TreeEntry {
  const [meta, name] = line.split("\t") as [string, string];
  const [mode, objectType, sha, size] = meta.split(/\s+/) as [string, string, string, string];
  const type =
    objectType === "tree"
      ? "dir"
      : objectType === "commit"
        ? "submodule"
        : mode === "120000"
          ? "symlink"
          : "file";
  return { name, path: directory ? `${directory}/${name}` : name, type, sha, size: Number(size) || 0 };
}

/**
 * What is at a path of a commit never changes: read once per repository, commit and path (the App
 * reads its config and the runner's workflow file at the same commit on every trigger).
 */
const pathsAtCommits = new Map<string, Promise<PathContent | undefined>>();
const REMEMBERED_PATHS = 10_000;

/** What the contents API shows at `path` on `commit`, or undefined when nothing is there. */
export function readPath(gitDir: string, commit: string, path: string): Promise<PathContent | undefined> {
  if (!SHA.test(commit)) return readPathFromGit(gitDir, commit, path);
  const key = `${gitDir}\0${commit}\0${path}`;
  const known = pathsAtCommits.get(key);
  if (known) return known;
  if (pathsAtCommits.size >= REMEMBERED_PATHS) pathsAtCommits.clear();
  const reading = readPathFromGit(gitDir, commit, path);
  pathsAtCommits.set(key, reading);
  reading.catch(() => pathsAtCommits.delete(key));
  return reading;
}

async function readPathFromGit(
  gitDir: string,
  commit: string,
  path: string,
): Promise<PathContent | undefined> {
  const clean = path.replace(/^\/+|\/+$/g, "");
  const listDir = async (treeish: string, directory: string) =>
    (await gitText(["-C", gitDir, "ls-tree", "-l", treeish]))
      .split("\n")
      .filter(Boolean)
      .map((line) => parseTreeLine(line, directory));
  if (clean === "") return { kind: "dir", entries: await listDir(commit, "") };
  const line = await gitText(["-C", gitDir, "ls-tree", "-l", commit, "--", clean]);
  if (!line) return undefined;
  const slash = clean.lastIndexOf("/");
  const entry = parseTreeLine(line, slash === -1 ? "" : clean.slice(0, slash));
  if (entry.type === "dir") return { kind: "dir", entries: await listDir(entry.sha, clean) };
  if (entry.type !== "file") return { kind: "other", entry };
  return { kind: "file", entry, content: await runGit(["-C", gitDir, "cat-file", "blob", entry.sha]) };
}
