import { GitError, git } from "../workspace/git.ts";

export interface CommitIdentity {
  name: string;
  email: string;
}

/** Who commits what the agent made on a person's machine (`inhouse run`, `inhouse eval`'s suggestion). */
export const LOCAL_AGENT: CommitIdentity = { name: "inhouse agent", email: "agent@inhouse.invalid" };

/** git's identity variables for `author`, who is the committer too. */
export function identityEnv(author: CommitIdentity): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

export interface CommitOptions {
  dir: string;
  subject: string;
  body?: string;
  /** `Inhouse-Task: fix-issue #12`, … appended as git trailers. */
  trailers: Record<string, string>;
  author: CommitIdentity;
}

function message(options: CommitOptions): string {
  const trailers = Object.entries(options.trailers).map(
    ([key, value]) => `${key}: ${value.replace(/\n/g, " ")}`,
  );
  return [options.subject.replace(/\n/g, " ").slice(0, 72), options.body?.trim(), trailers.join("\n")]
    .filter((part) => part !== undefined && part !== "")
    .join("\n\n")
    .concat("\n");
}

/**
 * Applies the sandbox's patch to the runner's clone and its index, nothing more: what it changed is
 * then read back from git (`staged-change.ts`) and judged before anything is committed. git apply
 * itself refuses paths outside the tree and writes beyond a symbolic link.
 */
export async function applyPatch(dir: string, patch: string): Promise<void> {
  try {
    await git(["-C", dir, "apply", "--index", "--binary", "--whitespace=nowarn", "-"], { input: patch });
  } catch (error) {
    const detail =
      error instanceof GitError ? error.stderr.trim().split("\n").slice(0, 3).join("; ") : String(error);
    throw new Error(
      `the sandbox's patch does not apply to the task's checkout (${detail}); nothing was published`,
    );
  }
}

/** Drops whatever applyPatch staged, so a refused change leaves nothing behind in the clone. */
export async function discardStaged(dir: string): Promise<void> {
  await git(["-C", dir, "reset", "--quiet", "--hard", "HEAD"]);
  await git(["-C", dir, "clean", "-q", "-f", "-d", "-x"]);
}

/**
 * Commits the staged change. Hooks and signing config of the runner are bypassed: this commit's
 * content came from the sandbox, not from a person.
 */
export async function commitStaged(options: CommitOptions): Promise<string> {
  const identity = [
    `user.name=${options.author.name}`,
    `user.email=${options.author.email}`,
    "commit.gpgsign=false",
    "core.hooksPath=/dev/null",
  ];
  await git(["-C", options.dir, "commit", "--quiet", "--no-verify", "--cleanup=verbatim", "-F", "-"], {
    input: message(options),
    config: identity,
    env: identityEnv(options.author),
  });
  return (await git(["-C", options.dir, "rev-parse", "HEAD"])).stdout.trim();
}
