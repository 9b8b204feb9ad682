import type { StatusComment } from "../github/agent-comments.ts";

/**
 * The name a failed-check follow-up carries in its task and status marker (`task.automation` of a
 * `fix-pr` task): how the App tells its own follow-ups on a pull request from a person's `/agent fix`.
 */
export const FAILED_CHECK_FOLLOW_UP = "fix-failed-checks";

export type FollowUpVerdict = { ok: true; nth: number } | { ok: false; why: string };

/**
 * Whether one more follow-up may start on this PR: fewer than `max` so far, and none started after
 * the commit the failure is about (that one already saw it, or is still working on it: its push will
 * be checked again). Pure, so the rule is tested on its own.
 */
export function nextFollowUp(
  statuses: readonly StatusComment[],
  max: number,
  headCommittedAt: string | undefined,
): FollowUpVerdict {
  const earlier = statuses.filter(
    (s) => s.marker.task.kind === "fix-pr" && s.marker.task.automation === FAILED_CHECK_FOLLOW_UP,
  );
  if (earlier.length >= max) {
    return {
      ok: false,
      why: `the agent already followed up ${earlier.length} times on failed checks here (automations.fixFailedChecks.maxPerPull is ${max})`,
    };
  }
  const newest = earlier.at(-1);
  if (newest && headCommittedAt && Date.parse(newest.createdAt) >= Date.parse(headCommittedAt)) {
    return {
      ok: false,
      why: "the agent's previous follow-up started after this commit; a new failure is followed up once its push is checked",
    };
  }
  return { ok: true, nth: earlier.length + 1 };
}
