/**
 * A long-running process beside the sandbox's shell (an MCP server over stdio): a `docker exec`
 * with its stdin, stdout and stderr hijacked, in the same container, so it runs as the sandbox user
 * under the sandbox's network profile and sees only the workspace. It writes its pid to a file so
 * `stop()` can end it from the shell; everything ends with the container anyway.
 */
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { FrameDemuxer } from "./engine/stream-frames.ts";

export interface SandboxProcess {
  write(data: string): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  /** Resolves when the process has exited (its exit code, when Docker knows it). */
  readonly exited: Promise<{ exitCode: number | null }>;
  /** Closes stdin (an MCP server's cue to exit), then kills it if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Where the pid goes; unique per process. */
  pidFile: string;
  /** Ends the process named by the pid file, from the sandbox's shell. */
  kill: (pidFile: string) => Promise<void>;
}

export async function spawnInContainer(
  container: Docker.Container,
  argv: string[],
  options: SpawnOptions,
): Promise<SandboxProcess> {
  const exec = await container.exec({
    // `$0` is the pid file; `exec "$@"` replaces the shell, so the pid written is the server's.
    Cmd: ["sh", "-c", 'echo "$$" > "$0" && exec "$@"', options.pidFile, ...argv],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Env: Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`),
    WorkingDir: options.cwd ?? "/workspace",
  });
  const stream = (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
  const stdout: ((chunk: Buffer) => void)[] = [];
  const stderr: ((chunk: Buffer) => void)[] = [];
  const demuxer = new FrameDemuxer((kind, chunk) => {
    for (const listener of kind === "stdout" ? stdout : stderr) listener(chunk);
  });
  stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
  const exited = new Promise<{ exitCode: number | null }>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      exec
        .inspect()
        .then((info) => resolve({ exitCode: info.ExitCode ?? null }))
        .catch(() => resolve({ exitCode: null }));
    };
    stream.on("end", finish);
    stream.on("close", finish);
    stream.on("error", finish);
  });
  return {
    write: (data) => {
      if (!stream.destroyed) stream.write(data);
    },
    onStdout: (listener) => stdout.push(listener),
    onStderr: (listener) => stderr.push(listener),
    exited,
    stop: async (graceMs = 2_000) => {
      // Half-close: the server reads end-of-file and may exit by itself.
      (stream as Duplex & { end(): void }).end();
      const gone = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) => setTimeout(resolve, graceMs, false).unref()),
      ]);
      if (!gone) await options.kill(options.pidFile).catch(() => undefined);
      stream.destroy();
    },
  };
}
