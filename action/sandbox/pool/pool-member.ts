/**
 * One pooled sandbox from birth to claim. Booting: a hardened container whose shell has started and
 * printed its boot line, then paused (no CPU while it waits) and renamed idle. Claiming: unpausing,
 * which Docker refuses for a container that is not paused, checked under the container's lock
 * (moby daemon/unpause.go: "Container %s is not paused"); of two tasks racing for one member,
 * exactly one wins, in this process or another.
 */
import { randomBytes } from "node:crypto";
import type Docker from "dockerode";
import { hardenedContainerSpec, LABEL_INSTANCE } from "../container-spec.ts";
import type { SandboxSettings } from "../options.ts";
import { currentOwner, LABEL_OWNER } from "../owner-process.ts";
import { watchForLine } from "../shell-attach.ts";
import { SHELL_BOOTED_LINE } from "../shell-prelude.ts";
import { WORKSPACE_DIR } from "../workspace-path.ts";
import {
  BOOTING_PREFIX,
  containerName,
  IDLE_PREFIX,
  LABEL_POOL,
  LABEL_POOL_BOOTER,
  LABEL_POOL_IMAGE,
  LABEL_POOL_KEEPER,
} from "./pool-labels.ts";

const BOOT_TIMEOUT_MS = 60_000;

export interface PoolMember {
  id: string;
  name: string;
  state: string;
  imageId: string;
  /** The workspace volume, removed with the member. */
  volume: string | undefined;
  createdMs: number;
}

export interface PoolScope {
  /** `poolProfileKey` of the settings. */
  key: string;
  /** Owner string of the keeper process. */
  keeper: string;
}

function toMember(info: Docker.ContainerInfo): PoolMember {
  return {
    id: info.Id,
    name: containerName(info),
    state: info.State,
    imageId: info.ImageID,
    volume: info.Mounts?.find((mount) => mount.Destination === WORKSPACE_DIR)?.Name,
    createdMs: info.Created * 1000,
  };
}

/** This keeper's members for one profile (or all its profiles), oldest first. */
export async function listMembers(
  engine: Docker,
  scope: Pick<PoolScope, "keeper"> & Partial<PoolScope>,
): Promise<PoolMember[]> {
  const filters = JSON.stringify({
    label: [scope.key ? `${LABEL_POOL}=${scope.key}` : LABEL_POOL, `${LABEL_POOL_KEEPER}=${scope.keeper}`],
  });
  const infos = await engine.listContainers({ all: true, filters });
  return infos.map(toMember).sort((a, b) => a.createdMs - b.createdMs);
}

export function isIdle(member: PoolMember): boolean {
  return member.state === "paused" && member.name.startsWith(IDLE_PREFIX);
}

export function isBooting(member: PoolMember): boolean {
  return member.name.startsWith(BOOTING_PREFIX) && member.state !== "exited" && member.state !== "dead";
}

/** Creates, boots, pauses and names one idle member; a member that fails on the way is removed. */
export async function bootMember(engine: Docker, settings: SandboxSettings, scope: PoolScope): Promise<void> {
  const suffix = randomBytes(4).toString("hex");
  const memberSettings: SandboxSettings = {
    ...settings,
    taskId: "pool",
    labels: {
      [LABEL_INSTANCE]: suffix,
      [LABEL_POOL]: scope.key,
      [LABEL_POOL_KEEPER]: scope.keeper,
      [LABEL_POOL_IMAGE]: settings.image,
      [LABEL_POOL_BOOTER]: currentOwner(),
      [LABEL_OWNER]: scope.keeper,
    },
  };
  const names = { container: `${BOOTING_PREFIX}${suffix}`, volume: `inhouse-ws-pool-${suffix}` };
  const container = await engine.createContainer(hardenedContainerSpec(memberSettings, names, Date.now()));
  try {
    const watch = await watchForLine(container, SHELL_BOOTED_LINE);
    try {
      await container.start();
      await withTimeout(watch.seen, BOOT_TIMEOUT_MS, "the pooled sandbox's shell did not boot");
    } finally {
      watch.close();
    }
    await container.pause();
    await container.rename({ name: `${IDLE_PREFIX}${suffix}` });
  } catch (error) {
    await removeMember(engine, { id: container.id, volume: names.volume });
    throw error;
  }
}

/** True when this call unpaused the member, so it belongs to the caller and to nobody else. */
export async function claimMember(engine: Docker, member: PoolMember): Promise<boolean> {
  try {
    await engine.getContainer(member.id).unpause();
    return true;
  } catch {
    return false; // not paused any more (another task won), or removed meanwhile
  }
}

export async function removeMember(engine: Docker, member: Pick<PoolMember, "id" | "volume">): Promise<void> {
  await engine
    .getContainer(member.id)
    .remove({ force: true, v: true })
    .catch(() => undefined);
  if (member.volume)
    await engine
      .getVolume(member.volume)
      .remove()
      .catch(() => undefined);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
