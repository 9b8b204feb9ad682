/**
 * How a pooled sandbox is recognised in Docker. Labels cannot change after creation, so a member's
 * stage is read from its state and name: booting (`inhouse-poolnew-…`, running), idle
 * (`inhouse-pool-…`, paused), claimed (running under any other name once its task renamed it).
 */

/** The sandbox profile a member was made for (see `pool-key.ts`). */
export const LABEL_POOL = "inhouse.pool";
/** The process whose pool it is (`host/pid/start`): the runner service, or the CLI's terminal session. */
export const LABEL_POOL_KEEPER = "inhouse.pool.keeper";
/** The image name it was created from; a member whose image id no longer matches that name is stale. */
export const LABEL_POOL_IMAGE = "inhouse.pool.image";
/**
 * The process that booted it (a task refilling the pool), which ends soon after. Its `inhouse.owner`
 * is the keeper, so any cleaner that judges by owner keeps a live keeper's pool.
 */
export const LABEL_POOL_BOOTER = "inhouse.pool.booter";

export const BOOTING_PREFIX = "inhouse-poolnew-";
export const IDLE_PREFIX = "inhouse-pool-";

/** Docker lists names with a leading slash. */
export function containerName(info: { Names?: string[] }): string {
  return (info.Names?.[0] ?? "").replace(/^\//, "");
}
