/**
 * "The model is writing": progress while a reply streams in, so the status comment and the CLI
 * show a long generation is alive. Reported when the first text arrives, then at most every
 * `everyMs`, so a fast stream does not flood the printer.
 */
import type { AgentProgress } from "./types.ts";

export function writingReporter(
  progress: (event: AgentProgress) => void,
  turn: number,
  maxTurns: number,
  everyMs = 2_000,
): (chars: number) => void {
  let last = Number.NEGATIVE_INFINITY;
  return (chars) => {
    const now = performance.now();
    if (now - last < everyMs) return;
    last = now;
    progress({ phase: "writing", turn, maxTurns, chars });
  };
}
