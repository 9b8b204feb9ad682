/**
 * Which pooled sandboxes the leftover cleaner removes. A pooled sandbox outlives the task that
 * made it on purpose, so the age rule for other sandboxes does not fit it; its stage decides:
 *
 * - stopped: its shell ended (the task that claimed it went away: stdin closed) → removed;
 * - booting: removed when the process booting it has ended, or past the age limit;
 * - idle: removed when its keeper has ended (a killed runner's pool), when its image has been
 *   rebuilt since, or after a day unclaimed (a keeper on another host that never came back);
 * - claimed but never renamed (its task died within milliseconds of the claim): as idle, by keeper
 *   or age;
 * - claimed: left alone; it stops by itself when its task's process goes away.
 */
import type Docker from "dockerode";
import { LABEL_CREATED } from "../container-spec.ts";
import { statusCodeOf } from "../engine/docker-connection.ts";
import { ownerIsGone } from "../owner-process.ts";
import {
  BOOTING_PREFIX,
  containerName,
  IDLE_PREFIX,
  LABEL_POOL,
  LABEL_POOL_BOOTER,
  LABEL_POOL_IMAGE,
  LABEL_POOL_KEEPER,
} from "./pool-labels.ts";

export const POOL_IDLE_MAX_MS = 24 * 3600_000;

export function isPooled(labels: Record<string, string> | undefined): boolean {
  return labels?.[LABEL_POOL] !== undefined;
}

/** Current image id per image name, asked once per name; undefined when the name is gone. */
function imageIds(docker: Docker): (name: string) => Promise<string | undefined> {
  const known = new Map<string, Promise<string | undefined>>();
  return (name) => {
    let id = known.get(name);
    if (!id) {
      id = docker
        .getImage(name)
        .inspect()
        .then(
          (info) => info.Id,
          (error: unknown) => (statusCodeOf(error) === 404 ? undefined : Promise.reject(error)),
        );
      known.set(name, id);
    }
    return id;
  };
}

/** A judge for pooled containers; `cutoff` is the time before which non-pool leftovers count as old. */
export function poolLeftoverJudge(
  docker: Docker,
  cutoff: number,
): (info: Docker.ContainerInfo) => Promise<boolean> {
  const currentImage = imageIds(docker);
  return async (info) => {
    const labels = info.Labels ?? {};
    const name = containerName(info);
    const created = Number(labels[LABEL_CREATED]);
    const old = (limit: number) => Number.isFinite(created) && created <= limit;
    if (!["running", "paused", "created"].includes(info.State)) return true;
    if (name.startsWith(BOOTING_PREFIX)) return ownerIsGone(labels[LABEL_POOL_BOOTER]) || old(cutoff);
    const keeperGone = ownerIsGone(labels[LABEL_POOL_KEEPER]);
    if (info.State === "paused") {
      const image = labels[LABEL_POOL_IMAGE];
      const stale = image !== undefined && (await currentImage(image)) !== info.ImageID;
      return keeperGone || stale || old(Date.now() - POOL_IDLE_MAX_MS);
    }
    if (name.startsWith(IDLE_PREFIX)) return keeperGone || old(cutoff);
    return false;
  };
}
