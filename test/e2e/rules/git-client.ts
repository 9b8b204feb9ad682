import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LocalGitHub } from "../local-github/local-github.ts";

export interface GitResult {
  code: number;
  /** stdout and stderr together: `remote:` lines, per-ref verdicts (`[remote rejected] ... (reason)`), `fatal:`. */
  output: string;
}

/** `-c http.extraheader=...`: the token as actions/checkout sends it, never in the URL. */
export const basicHeader = (token: string): string =>
  `http.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;

export function git(args: string[], cwd?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      "git",
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", LC_ALL: "C" } },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** A git client of the local GitHub: clone, commit files, push. */
export class GitClient {
  private constructor(readonly dir: string) {}

  static async clone(github: LocalGitHub, repo: string, token: string): Promise<GitClient> {
    const dir = join(await mkdtemp(join(tmpdir(), "git-client-")), repo);
    const result = await git(["-c", basicHeader(token), "clone", "--quiet", cloneUrl(github, repo), dir]);
    if (result.code !== 0) throw new Error(`clone failed: ${result.output}`);
    return new GitClient(dir);
  }

  async commit(files: Record<string, string>, message: string): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(this.dir, path)), { recursive: true });
      await writeFile(join(this.dir, path), text);
    }
    for (const args of [
      ["add", "--all"],
      ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", message],
    ]) {
      const result = await git(["-C", this.dir, ...args]);
      if (result.code !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.output}`);
    }
  }

  push(refspec: string, token: string): Promise<GitResult> {
    return git(["-C", this.dir, "-c", basicHeader(token), "push", "--porcelain", "origin", refspec]);
  }
}

export const cloneUrl = (github: LocalGitHub, repo: string): string =>
  `${github.url}/${github.owner}/${repo}.git`;
