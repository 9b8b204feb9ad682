/**
 * Independent attack runs of one group started together: each has its own fixture, model server,
 * local GitHub and sandbox, so they overlap where one waits (a container starting, a push) and the
 * group's set-up takes about as long as its slowest run instead of the sum. The canaries stay
 * planted while any of them runs (`plantInProcessEnv`).
 */
import { type AttackRun, type AttackRunSpec, runAttack } from "./action-run.ts";

/** Every run's result in the order given; when one fails, the others are cleaned up and its error thrown. */
export async function runAttacksAtOnce<T extends AttackRunSpec[]>(
  ...specs: T
): Promise<{ [K in keyof T]: AttackRun }> {
  const settled = await Promise.allSettled(specs.map((spec) => runAttack(spec)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(
      settled.map((result) => (result.status === "fulfilled" ? result.value.cleanup() : undefined)),
    );
    throw failure.reason;
  }
  return settled.map((result) => (result as PromiseFulfilledResult<AttackRun>).value) as {
    [K in keyof T]: AttackRun;
  };
}
