/**
 * The sandbox's shell is the container's main process, reached through Docker's attach endpoint:
 * one HTTP request, about a millisecond, where starting a new process with `docker exec` costs tens
 * of milliseconds (runc enters the namespaces for every exec). Attaching is what lets a pooled
 * sandbox be claimed quickly, and stdin is opened once per attachment (`StdinOnce`), so the
 * container stops when the attached host goes away.
 */
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { FrameDemuxer } from "./engine/stream-frames.ts";

/** The hijacked stdin/stdout/stderr of the container's shell (multiplexed frames, `Tty: false`). */
export async function attachShell(container: Docker.Container): Promise<Duplex> {
  return (await container.attach({
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as unknown as Duplex;
}

/**
 * Stdout and stderr only (stdin stays closed to us, so detaching stops nothing), until the booting
 * shell prints `line`. Attach before `start()`, or the line may come and go unseen: with no log
 * driver, Docker keeps nothing for a late reader.
 */
export async function watchForLine(
  container: Docker.Container,
  line: string,
): Promise<{ seen: Promise<void>; close(): void }> {
  const stream = (await container.attach({
    stream: true,
    stdout: true,
    stderr: true,
    hijack: true,
  })) as unknown as Duplex;
  const seen = new Promise<void>((resolve, reject) => {
    let text = "";
    const demuxer = new FrameDemuxer((_kind, chunk) => {
      text = (text + chunk.toString("latin1")).slice(-4096);
      if (text.includes(line)) resolve();
    });
    stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
    const ended = () => reject(new Error(`the sandbox shell stopped before printing "${line}"`));
    stream.on("end", ended);
    stream.on("close", ended);
    stream.on("error", ended);
  });
  return { seen, close: () => stream.destroy() };
}
