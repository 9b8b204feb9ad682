/** Public surface of the pool layer: the warm pool, its keeper, and removing leftovers (pooled or not). */

export { runnerKeeperFrom, runnerKeeperPid, sessionKeeperPid } from "./keeper.ts";
export {
  type LeftoverCleanupOptions,
  type LeftoverCleanupResult,
  removeLeftoverSandboxes,
} from "./leftovers.ts";
export { WarmPool, type WarmPoolOptions } from "./warm-pool.ts";
