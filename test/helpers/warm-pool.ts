/**
 * Tests that start the action or a `WarmPool` leave its idle members behind by design (the next
 * task would claim them). Suites remove them when they close, so the engine holds nothing of theirs.
 */
import Docker from "dockerode";
import { isBooting, isIdle, listMembers, removeMember } from "../../action/sandbox/pool/pool-member.ts";

/** Removes the idle and booting members kept by `keeper` (claimed ones belong to running tasks). */
export async function drainWarmPool(keeper: string, docker = new Docker()): Promise<number> {
  const members = await listMembers(docker, { keeper });
  const spare = members.filter((member) => isIdle(member) || isBooting(member));
  for (const member of spare) await removeMember(docker, member);
  return spare.length;
}
