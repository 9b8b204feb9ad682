/**
 * A process that holds part of a warm pool and waits to be killed, for the tests of what a killed
 * runner leaves behind. `node … <mode> [keeper]`, printing one JSON line when it is in place:
 * - keep:  keeps a pool of one as its own keeper (a runner service);
 * - claim: claims a sandbox from `keeper`'s pool (a task that is then killed).
 */
import { currentOwner } from "../../../../action/sandbox/owner-process.ts";
import { WarmPool } from "../../../../action/sandbox/pool/warm-pool.ts";

const [mode, keeperArg] = process.argv.slice(2);
const options = { taskId: "pool-process", memoryMb: 256 };

if (mode === "keep") {
  const pool = new WarmPool({ size: 1, keeper: currentOwner() });
  await (await pool.acquire(options)).destroy();
  await pool.settle();
  console.log(JSON.stringify({ keeper: currentOwner() }));
} else if (mode === "claim") {
  const pool = new WarmPool({ size: 1, keeper: keeperArg! });
  const sandbox = await pool.acquire(options);
  await pool.settle();
  console.log(JSON.stringify({ containerId: sandbox.containerId, from: pool.handedOut[0] }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
setInterval(() => undefined, 60_000);
