/**
 * One long-lived bash per sandbox (the container's main process) over a hijacked attach stream.
 * Operations are queued so exactly one is in flight; each ends with a marker on stdout (exit code,
 * flags) and one on stderr, so both streams are known complete in the same round trip.
 */
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { SandboxError } from "./engine/errors.ts";
import { FrameDemuxer } from "./engine/stream-frames.ts";
import { MarkerScanner } from "./marker-scanner.ts";
import { HeadTailCapture } from "./output-capture.ts";
import { shellHello } from "./shell-prelude.ts";
import type { ExecResult } from "./types.ts";

interface Operation {
  id: string;
  stdout: HeadTailCapture | undefined;
  stderr: HeadTailCapture | undefined;
  data: Buffer[] | undefined;
  collectingData: boolean;
  done: string[] | undefined;
  ended: boolean;
  finish: () => void;
  fail: (error: SandboxError) => void;
}

export interface RunRequest {
  script: string;
  timeoutMs: number;
  graceMs: number;
  /** Keep the command's final cwd and exported variables for the next command. */
  persist: boolean;
  maxOutputBytes: number;
}

/** Extra host-side patience beyond a command's own deadline before the shell is declared stuck. */
const BACKSTOP_MS = 15_000;

export class PersistentShell {
  private readonly nonce = `\u0001IH${randomBytes(12).toString("hex")}`;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private current: Operation | undefined;
  private brokenBy: SandboxError | undefined;
  private lossHandled: Promise<void> | undefined;

  private constructor(
    private readonly stream: Duplex,
    private readonly describeLoss: () => Promise<SandboxError>,
  ) {
    const stdout = new MarkerScanner(
      this.nonce,
      (c) => this.onStdout(c),
      (f) => this.onMarker(f),
    );
    const stderr = new MarkerScanner(
      this.nonce,
      (c) => this.current?.stderr?.push(c),
      (f) => this.onMarker(f),
    );
    const demuxer = new FrameDemuxer((kind, chunk) => (kind === "stdout" ? stdout : stderr).push(chunk));
    stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
    const lost = () => void this.onStreamLost();
    stream.on("end", lost);
    stream.on("close", lost);
    stream.on("error", lost);
  }

  /**
   * Takes over the shell behind an attached stream (see `attachShell`): sends this host's nonce
   * and waits for the shell's answer.
   */
  static async connect(stream: Duplex, describeLoss: () => Promise<SandboxError>): Promise<PersistentShell> {
    // Small request/answer frames: without this, Nagle + delayed ACK add ~40 ms per command.
    (stream as Partial<Socket>).setNoDelay?.(true);
    const shell = new PersistentShell(stream, describeLoss);
    await shell.enqueue("ready", shellHello(shell.nonce), 30_000, {});
    return shell;
  }

  run(request: RunRequest): Promise<ExecResult> {
    if (request.script.includes("\0")) {
      return Promise.reject(new SandboxError("invalid-command", "Commands cannot contain NUL bytes."));
    }
    const id = String(this.nextId++);
    const payload = Buffer.from(`${request.script}\n`, "utf8");
    const wholeMs = (ms: number) => Math.max(1, Math.round(ms));
    const line =
      `__ih_run ${id} ${payload.length} ${wholeMs(request.timeoutMs)} ${wholeMs(request.graceMs)} ${request.persist ? 1 : 0}; ` +
      `eval "$__ih_restore_env"; __ih_finish ${id}\n`;
    const started = performance.now();
    const capture = {
      stdout: new HeadTailCapture(request.maxOutputBytes),
      stderr: new HeadTailCapture(request.maxOutputBytes),
    };
    return this.enqueue(id, [line, payload], request.timeoutMs + request.graceMs + BACKSTOP_MS, capture).then(
      ({ done }) => ({
        exitCode: Number(done[2] || 0),
        stdout: capture.stdout.text(),
        stderr: capture.stderr.text(),
        truncated: capture.stdout.truncated || capture.stderr.truncated,
        timedOut: done[3] === "1",
        durationMs: performance.now() - started,
      }),
    );
  }

  async put(path: string, data: Uint8Array): Promise<string> {
    const id = String(this.nextId++);
    const pathBytes = Buffer.from(path, "utf8");
    const line = `__ih_put ${id} ${pathBytes.length} ${data.length}\n`;
    const { done } = await this.enqueue(id, [line, pathBytes, data], 120_000, {});
    return done[3] ?? "";
  }

  async get(path: string): Promise<{ problem: string; content: Buffer }> {
    const id = String(this.nextId++);
    const pathBytes = Buffer.from(path, "utf8");
    const { done, data } = await this.enqueue(
      id,
      [`__ih_get ${id} ${pathBytes.length}\n`, pathBytes],
      120_000,
      {
        data: [],
      },
    );
    const problem = done[3] ?? "";
    return {
      problem,
      content: problem ? Buffer.alloc(0) : Buffer.from(Buffer.concat(data).toString("latin1"), "base64"),
    };
  }

  close(): void {
    this.brokenBy ??= new SandboxError("container-gone", "The sandbox was destroyed.");
    this.stream.destroy();
  }

  private enqueue(
    id: string,
    writes: string | (string | Uint8Array)[],
    backstopMs: number,
    sinks: { stdout?: HeadTailCapture; stderr?: HeadTailCapture; data?: Buffer[] },
  ): Promise<{ done: string[]; data: Buffer[] }> {
    const task = this.queue.then(
      () =>
        new Promise<{ done: string[]; data: Buffer[] }>((resolve, reject) => {
          if (this.brokenBy) return reject(this.brokenBy);
          const timer = setTimeout(() => void this.onBackstop(id, backstopMs), backstopMs);
          const settle = () => {
            clearTimeout(timer);
            this.current = undefined;
          };
          this.current = {
            id,
            stdout: sinks.stdout,
            stderr: sinks.stderr,
            data: sinks.data,
            collectingData: false,
            done: undefined,
            ended: false,
            finish: () => {
              settle();
              resolve({ done: operation.done ?? [], data: sinks.data ?? [] });
            },
            fail: (error) => {
              settle();
              reject(error);
            },
          };
          const operation = this.current;
          void this.write(typeof writes === "string" ? [writes] : writes).catch(() => this.onStreamLost());
        }),
    );
    this.queue = task.catch(() => undefined);
    return task;
  }

  private async write(parts: (string | Uint8Array)[]): Promise<void> {
    const small = parts.reduce((sum, part) => sum + part.length, 0) < 64 * 1024;
    // One write per request when it is small, so it travels as one packet.
    const chunks = small ? [Buffer.concat(parts.map((part) => Buffer.from(part)))] : parts;
    for (const chunk of chunks) {
      if (!this.stream.write(chunk)) await new Promise((resolve) => this.stream.once("drain", resolve));
    }
  }

  private onStdout(chunk: Buffer): void {
    const operation = this.current;
    if (!operation) return; // stray output of a background process between commands
    if (operation.collectingData) operation.data?.push(Buffer.from(chunk));
    else operation.stdout?.push(chunk);
  }

  private onMarker(fields: string[]): void {
    const operation = this.current;
    if (!operation || fields[1] !== operation.id) return;
    if (fields[0] === "DATA") operation.collectingData = true;
    if (fields[0] === "DONE") {
      operation.collectingData = false;
      operation.done = fields;
    }
    if (fields[0] === "END") operation.ended = true;
    if (operation.done && operation.ended) operation.finish();
  }

  private async onBackstop(id: string, waitedMs: number): Promise<void> {
    if (this.current?.id !== id) return;
    const error = new SandboxError(
      "shell-unresponsive",
      `The sandbox shell did not answer within ${Math.round(waitedMs / 1000)} s; the sandbox is unusable, destroy it and start a new one.`,
    );
    this.brokenBy = error;
    this.current.fail(error);
    this.stream.destroy();
  }

  private onStreamLost(): Promise<void> {
    this.lossHandled ??= (async () => {
      if (!this.brokenBy) {
        const generic = new SandboxError("container-gone", "The sandbox shell ended unexpectedly.");
        this.brokenBy = generic;
        this.brokenBy = await this.describeLoss().catch(() => generic);
      }
      this.current?.fail(this.brokenBy);
    })();
    return this.lossHandled;
  }
}
