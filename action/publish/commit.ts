import { git } from "../workspace/git.ts";

export interface CommitIdentity {
  name: string;
  email: string;
}

export interface CommitOptions {
  dir: string;
  patch: string;
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
 * Applies the sandbox's patch to the runner's clone and commits it. Hooks and signing config of
 * the runner are bypassed: this commit's content came from the sandbox, not from a person.
 */
export async function commitPatch(options: CommitOptions): Promise<string> {
  await git(["-C", options.dir, "apply", "--index", "--binary", "--whitespace=nowarn", "-"], {
    input: options.patch,
  });
  const identity = [
    `user.name=${options.author.name}`,
    `user.email=${options.author.email}`,
    "commit.gpgsign=false",
    "core.hooksPath=/dev/null",
  ];
  await git(["-C", options.dir, "commit", "--quiet", "--no-verify", "--cleanup=verbatim", "-F", "-"], {
    input: message(options),
    config: identity,
    env: {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_COMMITTER_NAME: options.author.name,
      GIT_COMMITTER_EMAIL: options.author.email,
    },
  });
  return (await git(["-C", options.dir, "rev-parse", "HEAD"])).stdout.trim();
}
