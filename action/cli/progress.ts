/** Shows what the agent is doing on stderr: one updating line on a terminal, plain lines otherwise. */
import type { AgentProgress } from "../agent/types.ts";

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function describeProgress(event: AgentProgress): string {
  switch (event.phase) {
    case "setup":
      return `setup: ${event.command}`;
    case "turn":
      return `turn ${event.turn}/${event.maxTurns}${event.step ? ` · ${event.step}` : " · thinking"}`;
    case "writing":
      return `turn ${event.turn}/${event.maxTurns} · model writing (${event.chars} characters)`;
    case "verifying":
      return `verifying: ${event.command}`;
    case "tool":
      return `turn ${event.turn} · ${event.name}: ${event.ok ? "ok" : "error"} in ${(event.durationMs / 1000).toFixed(1)} s`;
    case "done":
      return `done: ${event.outcome}`;
  }
}

export function createProgressPrinter(stream: ProgressStream, startedAt = Date.now()) {
  return {
    event(event: AgentProgress) {
      this.line(describeProgress(event));
    },
    line(text: string) {
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(0).padStart(4);
      const line = `[inhouse ${seconds}s] ${text}`;
      stream.write(stream.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
    },
    end() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
