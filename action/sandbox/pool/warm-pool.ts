/**
 * The warm pool: hardened sandboxes created, booted and paused ahead of need, per image and sandbox
 * profile, so a task claims one in milliseconds instead of waiting for a container to start. A
 * member serves exactly one task and is destroyed with it; after every claim the pool refills in
 * the background, one member at a time. Members whose image has been rebuilt since are never handed
 * out and are replaced. The pool lives in Docker, not in this process: the next task (another
 * process) claims what this one refilled, and the leftover cleaner removes the pool of a keeper
 * that has ended (`pool-leftovers.ts`).
 */
import type Docker from "dockerode";
import { DockerSandbox } from "../docker-sandbox.ts";
import { connectDocker, ensureImagePresent } from "../engine/docker-connection.ts";
import { parseSandboxOptions, type SandboxSettings } from "../options.ts";
import { ensureRuntimeAvailable } from "../runtimes.ts";
import type { SandboxOptions } from "../types.ts";
import { isPoolable, poolProfileKey } from "./pool-key.ts";
import { IDLE_PREFIX } from "./pool-labels.ts";
import {
  bootMember,
  claimMember,
  isBooting,
  isIdle,
  listMembers,
  type PoolMember,
  type PoolScope,
  removeMember,
} from "./pool-member.ts";

export interface WarmPoolOptions {
  /** Idle sandboxes kept per profile; 0 turns the pool off (every task creates its own). */
  size: number;
  /** Owner string (`owner-process.ts`) of the process the pool lives as long as (`keeper.ts`). */
  keeper: string;
  docker?: Docker;
  log?: { warning(message: string): void };
}

export type SandboxSource = "pool" | "new";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class WarmPool {
  private refills: Promise<void> = Promise.resolve();
  /** Where the sandboxes this pool handed out came from, in order (for logs and tests). */
  readonly handedOut: SandboxSource[] = [];

  constructor(private readonly options: WarmPoolOptions) {}

  /** A sandbox for one task: an idle member of its profile when there is one, else a new one. */
  async acquire(options: SandboxOptions = {}): Promise<DockerSandbox> {
    const settings = parseSandboxOptions(options);
    if (this.options.size <= 0 || !isPoolable(settings)) {
      this.handedOut.push("new");
      return DockerSandbox.create(options, this.options.docker);
    }
    const engine = await connectDocker(this.options.docker);
    const imageId = await ensureImagePresent(engine, settings.image);
    await ensureRuntimeAvailable(engine, settings.runtime, settings.network);
    const scope: PoolScope = { key: poolProfileKey(settings), keeper: this.options.keeper };
    const claimed = await this.claim(engine, settings, scope, imageId);
    this.handedOut.push(claimed ? "pool" : "new");
    const sandbox = claimed ?? (await DockerSandbox.create(options, engine));
    this.refill(engine, settings, scope, imageId);
    return sandbox;
  }

  /** Resolves when the background refills have finished; call it before the process exits. */
  settle(): Promise<void> {
    return this.refills;
  }

  private async claim(
    engine: Docker,
    settings: SandboxSettings,
    scope: PoolScope,
    imageId: string,
  ): Promise<DockerSandbox | undefined> {
    for (const member of await listMembers(engine, scope)) {
      if (!isIdle(member) || member.imageId !== imageId) continue;
      if (!(await claimMember(engine, member))) continue;
      const container = engine.getContainer(member.id);
      const instance = member.name.slice(IDLE_PREFIX.length);
      try {
        const sandbox = await DockerSandbox.adopt(
          engine,
          container,
          { volume: member.volume ?? "", instance },
          settings,
        );
        // Named for its task, like a sandbox made for it; the name is for people reading `docker ps`.
        void container.rename({ name: `inhouse-${settings.taskId}-${instance}` }).catch(() => undefined);
        return sandbox;
      } catch (error) {
        this.warn(`a pooled sandbox could not be taken over, trying the next: ${messageOf(error)}`);
      }
    }
    return undefined;
  }

  private refill(engine: Docker, settings: SandboxSettings, scope: PoolScope, imageId: string): void {
    this.refills = this.refills
      .then(async () => {
        const members = await listMembers(engine, scope);
        const current = (member: PoolMember) => member.imageId === imageId;
        for (const stale of members.filter((m) => isIdle(m) && !current(m)))
          await removeMember(engine, stale);
        const ready = members.filter((m) => (isIdle(m) || isBooting(m)) && current(m)).length;
        for (let count = ready; count < this.options.size; count++) await bootMember(engine, settings, scope);
      })
      .catch((error: unknown) => this.warn(`refilling the sandbox pool failed: ${messageOf(error)}`));
  }

  private warn(message: string): void {
    this.options.log?.warning(message);
  }
}
