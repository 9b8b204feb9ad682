/**
 * A warm pool lives as long as the process that keeps it: pooled sandboxes carry that process's
 * identity (`owner-process.ts`), and the leftover cleaner removes a pool whose keeper has ended. An
 * action step is a short-lived child of the runner's job worker, so its pool belongs to the runner
 * service (`Runner.Listener`) that outlives the jobs; the CLI's belongs to the terminal session it
 * was started from.
 */
import { readFileSync } from "node:fs";

const RUNNER_LISTENER = "Runner.Listener";

interface ProcStat {
  command: string;
  parent: number;
  session: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      command: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")),
      parent: Number(fields[1]),
      session: Number(fields[3]),
    };
  } catch {
    return undefined;
  }
}

/** The runner service above this process, else its parent (a runner that starts steps itself). */
export function runnerKeeperPid(): number {
  return runnerKeeperFrom(process.ppid);
}

/** The keeper of a step started by `parent`: a `Runner.Listener` at or above it, else `parent`. */
export function runnerKeeperFrom(parent: number): number {
  for (let at = parent, hops = 0; at > 1 && hops < 16; hops++) {
    const stat = procStat(at);
    if (!stat) break;
    if (stat.command === RUNNER_LISTENER) return at;
    at = stat.parent;
  }
  return parent;
}

/** The leader of this process's session (the terminal's shell), else the parent. */
export function sessionKeeperPid(pid: number = process.pid): number {
  const session = procStat(pid)?.session ?? 0;
  return session > 0 && procStat(session) ? session : process.ppid;
}
