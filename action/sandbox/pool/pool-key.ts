/**
 * A pool holds sandboxes per profile: two tasks may share a pooled sandbox only when everything
 * that was fixed at its creation is what the task asks for. Per-command settings (timeouts, output
 * caps) and the task's own labels are not part of it.
 */
import { createHash } from "node:crypto";
import type { SandboxSettings } from "../options.ts";

export function poolProfileKey(settings: SandboxSettings): string {
  const profile = {
    image: settings.image,
    runtime: settings.runtime ?? "",
    network: settings.network,
    memoryMb: settings.memoryMb,
    cpus: settings.cpus,
    pids: settings.pids,
    env: Object.entries(settings.env).sort(([a], [b]) => a.localeCompare(b)),
    // The bundle is installed when a task claims the sandbox; only the variables pointing at it are fixed.
    caBundle: settings.caBundlePath !== undefined,
    workspaceMb: settings.workspaceMb,
    tmpMb: settings.tmpMb,
  };
  return createHash("sha256").update(JSON.stringify(profile)).digest("hex").slice(0, 16);
}

/**
 * Under `allowlist` a sandbox starts with its own egress proxy, configured with the task's hosts;
 * those sandboxes are made per task. `none` and `open` are pooled (and may still move to
 * `allowlist` later with `setNetwork`).
 */
export function isPoolable(settings: SandboxSettings): boolean {
  return settings.network !== "allowlist";
}
