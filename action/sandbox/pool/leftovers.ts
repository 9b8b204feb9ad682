/**
 * Finds sandboxes a crashed run left behind (by label, never by name) and removes them with their
 * workspace volumes, their allowlist proxies (containers with the same labels) and their internal
 * networks. Pooled sandboxes follow their own rules (`pool-leftovers.ts`); this lives in `pool/` because it is the one layer that knows both kinds. Safe to run on a
 * schedule or before each task.
 */
import Docker from "dockerode";
import { LABEL_CREATED, LABEL_INSTANCE, LABEL_SANDBOX } from "../container-spec.ts";
import { LABEL_OWNER, ownerIsGone } from "../owner-process.ts";
import { isPooled, poolLeftoverJudge } from "./pool-leftovers.ts";

export interface LeftoverCleanupOptions {
  /**
   * Only sandboxes created at least this long ago are removed (0 = all), unless the process that
   * created them ran on this host and has ended (a killed runner): those go whatever their age.
   */
  olderThanMs: number;
  /** Extra label filters, e.g. `inhouse.run=42` for one run's sandbox, proxy and network. */
  labels?: string[];
  docker?: Docker;
}

export interface LeftoverCleanupResult {
  containers: string[];
  volumes: string[];
  networks: string[];
}

function isLeftover(labels: Record<string, string> | undefined, cutoff: number): boolean {
  const created = Number(labels?.[LABEL_CREATED]);
  return (Number.isFinite(created) && created <= cutoff) || ownerIsGone(labels?.[LABEL_OWNER]);
}

export async function removeLeftoverSandboxes(
  options: LeftoverCleanupOptions,
): Promise<LeftoverCleanupResult> {
  const docker = options.docker ?? new Docker();
  const cutoff = Date.now() - options.olderThanMs;
  // 0 = everything the filters match, pooled sandboxes included (the post step's removal by instance).
  const everything = options.olderThanMs === 0;
  const filters = JSON.stringify({ label: [`${LABEL_SANDBOX}=1`, ...(options.labels ?? [])] });
  const removed: LeftoverCleanupResult = { containers: [], volumes: [], networks: [] };
  const pooledLeftover = poolLeftoverJudge(docker, cutoff);
  const liveInstances = new Set<string>();

  for (const info of await docker.listContainers({ all: true, filters })) {
    const leftover =
      everything || (isPooled(info.Labels) ? await pooledLeftover(info) : isLeftover(info.Labels, cutoff));
    const instance = info.Labels?.[LABEL_INSTANCE];
    if (!leftover) {
      if (instance) liveInstances.add(instance);
      continue;
    }
    await docker
      .getContainer(info.Id)
      .remove({ force: true, v: true })
      .then(() => removed.containers.push(info.Id))
      .catch(() => undefined); // already gone: another cleaner won the race
  }
  // A pooled sandbox's volume goes with its container, whatever became of the process that made it.
  const volumeLeftover = (labels: Record<string, string> | undefined) =>
    everything ||
    (isPooled(labels) ? !liveInstances.has(labels?.[LABEL_INSTANCE] ?? "") : isLeftover(labels, cutoff));
  const { Volumes } = await docker.listVolumes({ filters });
  for (const volume of Volumes ?? []) {
    if (!volumeLeftover(volume.Labels)) continue;
    await docker
      .getVolume(volume.Name)
      .remove()
      .then(() => removed.volumes.push(volume.Name))
      .catch(() => undefined); // still in use by a live sandbox
  }
  // Networks last: Docker refuses to remove one while a container is still attached.
  for (const network of await docker.listNetworks({ filters })) {
    if (!everything && !isLeftover(network.Labels, cutoff)) continue;
    await docker
      .getNetwork(network.Id)
      .remove()
      .then(() => removed.networks.push(network.Name))
      .catch(() => undefined); // still in use by a live sandbox
  }
  return removed;
}
