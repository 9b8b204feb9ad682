/**
 * Which process, on which host, created a sandbox. A runner killed mid-task never runs its post
 * step; the next cleaner on the same host sees that the owner is gone and removes the leftovers at
 * once instead of waiting out the age limit. The process start time guards against a reused pid.
 * Another host's owner (a second runner sharing the daemon) is never judged: only age decides there.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export const LABEL_OWNER = "inhouse.owner";

/** Field 22 of /proc/<pid>/stat: start time in clock ticks after boot; undefined without /proc. */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

/** `<host>/<pid>/<start ticks>`: the label value naming a process as a sandbox's owner. */
export function ownerOf(pid: number): string {
  return `${hostname()}/${pid}/${processStartTicks(pid) ?? "unknown"}`;
}

export function currentOwner(): string {
  return ownerOf(process.pid);
}

/** True only when the owner ran on this host and that process has certainly ended. */
export function ownerIsGone(owner: string | undefined): boolean {
  if (!owner) return false;
  const [host, pidText, startTicks] = owner.split("/");
  if (host !== hostname() || startTicks === "unknown") return false;
  if (processStartTicks(process.pid) === undefined) return false; // no /proc here: cannot tell
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return processStartTicks(pid) !== startTicks;
}
