/**
 * A Sandbox over a host directory, for unit tests and benchmarks that exercise tools and the loop
 * without Docker. It isolates nothing: never use it outside tests. Commands run with bash in the
 * directory; a timeout kills the command's process group, like the real sandbox.
 */
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import type { ExecOptions, ExecResult, Sandbox } from "../../action/sandbox/types.ts";

class LocalPathError extends Error {
  readonly recoverable = true;
}

function capped(text: string, maxBytes: number): { text: string; cut: boolean } {
  if (text.length <= maxBytes) return { text, cut: false };
  const half = Math.floor(maxBytes / 2);
  return { text: `${text.slice(0, half)}\n[...]\n${text.slice(-half)}`, cut: true };
}

export async function createLocalSandbox(): Promise<Sandbox & { root: string }> {
  const root = await mkdtemp(join(tmpdir(), "inhouse-local-sandbox-"));
  const inside = (path: string) => {
    const absolute = resolve(root, path.replace(/^\/workspace\/?/, ""));
    const rel = relative(root, absolute);
    if (rel.startsWith("..")) throw new LocalPathError(`${path} is outside the workspace`);
    return absolute;
  };

  const exec = (command: string, options: ExecOptions = {}): Promise<ExecResult> =>
    new Promise((done) => {
      const started = performance.now();
      const child = spawn("bash", ["-c", command], {
        cwd: options.cwd ? inside(options.cwd) : root,
        env: { ...process.env, ...options.env },
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const timer = setTimeout(() => {
        timedOut = true;
        process.kill(-child.pid!, "SIGKILL");
      }, options.timeoutMs ?? 600_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        const max = options.maxOutputBytes ?? 1_000_000;
        const out = capped(stdout, max);
        const err = capped(stderr, max);
        done({
          exitCode: timedOut ? 124 : (code ?? 1),
          stdout: out.text,
          stderr: err.text,
          truncated: out.cut || err.cut,
          timedOut,
          durationMs: performance.now() - started,
        });
      });
    });

  return {
    root,
    containerId: `local-${root}`,
    workdir: root,
    exec,
    async readFile(path) {
      try {
        return await readFile(inside(path));
      } catch (error) {
        if (error instanceof LocalPathError) throw error;
        throw new LocalPathError(`${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
      }
    },
    async writeFile(path, content) {
      const absolute = inside(path);
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, content);
    },
    async seed(treeDir) {
      await cp(treeDir, root, { recursive: true });
    },
    async diff() {
      const result = await exec("git add -A && git diff --cached --binary -M HEAD");
      return result.stdout;
    },
    async destroy() {
      await rm(root, { recursive: true, force: true });
    },
  };
}
