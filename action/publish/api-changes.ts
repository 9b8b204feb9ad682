import { git } from "../workspace/git.ts";

/**
 * Whether a commit can be re-made through GitHub's API (GraphQL `createCommitOnBranch`), which
 * GitHub signs, so rulesets that require signed commits accept it. The mutation takes files as
 * base64 contents to add and paths to delete, nothing else ("createCommitOnBranch", "FileChanges",
 * https://docs.github.com/en/graphql/reference/mutations#createcommitonbranch): every file it writes
 * is a regular, non-executable file (mode 100644; babarot/gh-infra#167 falls back to the Git Data
 * API for executables for that reason), it cannot write a symlink or a submodule, and the whole
 * change travels in one request. What it cannot carry goes by `git push`, and the reason is kept
 * for the advice when that push is refused.
 */
export type ApiChanges =
  | {
      ok: true;
      additions: Array<{ path: string; contents: string }>;
      deletions: Array<{ path: string }>;
    }
  | { ok: false; reason: string };

/** Our cap on one request's file contents (base64); GitHub publishes none for this mutation. */
export const MAX_API_CONTENT_BYTES = 20 * 1024 * 1024;

const REGULAR = "100644";

async function modeAt(dir: string, commit: string, path: string): Promise<string | undefined> {
  const out = (await git(["-C", dir, "ls-tree", "-z", commit, "--", path])).stdout;
  return out === "" ? undefined : out.split(" ")[0];
}

function modeProblem(path: string, mode: string): string {
  if (mode === "100755")
    return `\`${path}\` is executable (file mode 100755), which GitHub's commit API cannot set`;
  if (mode === "120000") return `\`${path}\` is a symbolic link, which GitHub's commit API cannot write`;
  if (mode === "160000") return `\`${path}\` is a submodule, which GitHub's commit API cannot change`;
  return `\`${path}\` has file mode ${mode}, which GitHub's commit API cannot set`;
}

/** The file changes from `parent` to `commit` as `createCommitOnBranch` takes them, or why they cannot be. */
export async function apiChanges(dir: string, parent: string, commit: string): Promise<ApiChanges> {
  const listing = (await git(["-C", dir, "diff", "--no-renames", "--name-status", "-z", parent, commit]))
    .stdout;
  const fields = listing.split("\0").filter(Boolean);
  const additions: Array<{ path: string; contents: string }> = [];
  const deletions: Array<{ path: string }> = [];
  let size = 0;
  for (let i = 0; i < fields.length; i += 2) {
    const status = fields[i]!;
    const path = fields[i + 1]!;
    if (status === "D") {
      deletions.push({ path });
      continue;
    }
    for (const side of status === "A" ? [commit] : [parent, commit]) {
      const mode = await modeAt(dir, side, path);
      if (mode !== undefined && mode !== REGULAR) return { ok: false, reason: modeProblem(path, mode) };
    }
    const blob = await git(["-C", dir, "cat-file", "blob", `${commit}:${path}`]);
    const contents = blob.raw.toString("base64");
    size += contents.length;
    if (size > MAX_API_CONTENT_BYTES) {
      return {
        ok: false,
        reason: `the change is larger than the ${MAX_API_CONTENT_BYTES / 1024 / 1024} MiB one API request carries`,
      };
    }
    additions.push({ path, contents });
  }
  return { ok: true, additions, deletions };
}
