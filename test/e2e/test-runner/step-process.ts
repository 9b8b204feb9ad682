import { type ChildProcess, spawn } from "node:child_process";

export interface StepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** One `node <entry>` step, in its own process group so the whole tree (git, docker CLI) can be signalled. */
export class StepProcess {
  readonly done: Promise<StepResult>;
  private readonly child: ChildProcess;
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];

  constructor(entry: string, options: { cwd: string; env: Record<string, string> }) {
    this.child = spawn(process.execPath, [entry], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { out, err } = this;
    this.child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    this.child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    this.done = new Promise((resolve) => {
      const finish = (exitCode: number | null, signal: NodeJS.Signals | null) =>
        resolve({
          exitCode,
          signal,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      this.child.on("error", (error) => {
        err.push(Buffer.from(String(error)));
        finish(null, null);
      });
      this.child.on("close", finish);
    });
  }

  /** What the step has printed so far, for diagnosing a step that is still running. */
  get outputSoFar(): string {
    return `${Buffer.concat(this.out).toString("utf8")}\n${Buffer.concat(this.err).toString("utf8")}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Signals the step's whole process group; a group already gone is fine. */
  signal(signal: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null)
      return;
    try {
      process.kill(-this.child.pid, signal);
    } catch {
      // The group exited between the check and the signal.
    }
  }
}
