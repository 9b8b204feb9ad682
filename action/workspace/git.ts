import { spawn } from "node:child_process";

export interface GitOptions {
  cwd?: string;
  /** Written to git's stdin (a patch for `git apply`). */
  input?: string;
  /** Extra `-c key=value` pairs placed before the subcommand; never persisted to any config file. */
  config?: string[];
  env?: Record<string, string>;
  /** Strings replaced by `***` in error messages (tokens, auth headers). */
  secrets?: string[];
}

export interface GitOutput {
  stdout: string;
  stderr: string;
  /** stdout as bytes, for binary output (`git cat-file blob`). */
  raw: Buffer;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout = "",
  ) {
    super(message);
    this.name = "GitError";
  }
}

function scrub(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join("***"), text);
}

/**
 * Runs git with an argv array, never through a shell, so titles and branch names with shell
 * metacharacters are plain arguments. Prompts are off so a missing credential fails instead of hanging.
 */
export function git(args: string[], options: GitOptions = {}): Promise<GitOutput> {
  const config = (options.config ?? []).flatMap((pair) => ["-c", pair]);
  const argv = [...config, ...args];
  const secrets = options.secrets ?? [];
  return new Promise((resolve, reject) => {
    const child = spawn("git", argv, {
      cwd: options.cwd,
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: "",
        SSH_ASKPASS: "",
        GCM_INTERACTIVE: "never",
        LC_ALL: "C",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) =>
      reject(
        new GitError(
          `could not start git: ${error.message}; is git installed on the runner?`,
          args,
          null,
          "",
        ),
      ),
    );
    child.on("close", (code) => {
      const raw = Buffer.concat(out);
      const stdout = raw.toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) return resolve({ stdout, stderr, raw });
      const shown = scrub(`git ${args.join(" ")} exited with ${code}: ${stderr.trim()}`, secrets);
      reject(new GitError(shown, args, code, scrub(stderr, secrets), scrub(stdout, secrets)));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}
