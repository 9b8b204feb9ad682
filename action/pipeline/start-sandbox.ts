import type { Sandbox, SandboxOptions } from "../sandbox/types.ts";
import type { EffectiveLimits } from "./effective-limits.ts";
import type { TaskRun } from "./task-run.ts";

export interface SandboxRequest {
  create(options: SandboxOptions): Promise<Sandbox>;
  limits: EffectiveLimits;
  /** Names the task in the container's labels and name; made safe and cut to 64 characters here. */
  taskId: string;
  labels?: Record<string, string>;
  caBundlePath?: string;
  /** Called once the container exists, before seeding: a killed run's post step can still remove it. */
  created?(sandbox: Sandbox): void;
}

/** One hardened container with the task's limits, seeded with the task's clone. */
export async function startTaskSandbox(
  run: TaskRun,
  request: SandboxRequest,
  workspaceDir: string,
): Promise<Sandbox> {
  run.enter("starting the sandbox");
  const { limits } = request;
  const sandbox = await request.create({
    image: limits.image,
    ...(limits.runtime ? { runtime: limits.runtime } : {}),
    // Created under the setup profile; the loop moves it to the agent profile after setup.
    network: limits.network.setup,
    allowlist: limits.allowlist,
    internalRanges: limits.internalRanges,
    memoryMb: limits.memoryMb,
    cpus: limits.cpus,
    pids: limits.pids,
    taskId: request.taskId.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 64),
    ...(request.labels ? { labels: request.labels } : {}),
    ...(request.caBundlePath ? { caBundlePath: request.caBundlePath } : {}),
  });
  run.sandbox = sandbox;
  request.created?.(sandbox);
  await sandbox.seed(workspaceDir);
  return sandbox;
}
