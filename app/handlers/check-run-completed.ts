import type { CheckRunCompleted } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { readAgentPull } from "../follow-ups/agent-pull.ts";
import { FAILED_CHECK_FOLLOW_UP, nextFollowUp } from "../follow-ups/failed-check-follow-ups.ts";
import { failureExcerpt, followUpInstructions } from "../follow-ups/failure-excerpt.ts";
import { readAgentComments } from "../github/agent-comments.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { startGatedTask } from "../task/start-gated-task.ts";

/** Conclusions that mean the code is at fault; `cancelled`, `skipped`, `neutral`, … are not. */
const FAILED = new Set(["failure", "timed_out"]);

/**
 * `check_run.completed` with a failure on the agent's own pull request (`automations.fixFailedChecks`):
 * a `/agent fix`-style follow-up whose instructions carry the failing job's log excerpt, for the person
 * who asked for the PR. At most `maxPerPull` per PR, never while the previous follow-up is still on it,
 * never once a person has pushed to the PR. Every skip is silent on GitHub (CI failing is not a
 * request to the agent) and logged with its reason.
 */
export async function handleCheckRunCompleted(deps: Deps, payload: CheckRunCompleted): Promise<Outcome> {
  const { check_run: check, repository } = payload;
  if (!FAILED.has(check.conclusion ?? "") || check.pull_requests.length === 0) return "ignored";
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) return "invalid-config";
  const config = loaded.parsed.value;
  const { fixFailedChecks } = config.automations;
  if (!fixFailedChecks) return "ignored";
  const skip = (why: string, number: number): Outcome => {
    deps.log.info({ repo: `${repo.owner}/${repo.name}`, number, check: check.id }, `no follow-up: ${why}`);
    return "ignored";
  };
  // A check run lists the open PRs whose head is its commit; the agent's own is at most one of them.
  for (const { number } of check.pull_requests) {
    const pull = await readAgentPull(deps.octokit, repo, number, config.pr.branchPrefix);
    if (!pull.ok) {
      if (check.pull_requests.length === 1) return skip(pull.why, number);
      continue;
    }
    if (pull.headSha !== check.head_sha)
      return skip(`the check ran on ${check.head_sha.slice(0, 12)}, no longer the head`, number);
    const { statuses } = await readAgentComments(deps.octokit, repo, number, deps.appId);
    const verdict = nextFollowUp(statuses, fixFailedChecks.maxPerPull, pull.headCommittedAt);
    if (!verdict.ok) return skip(verdict.why, number);
    return startGatedTask(deps, {
      repo,
      defaultBranch: repository.default_branch,
      number,
      kind: "fix-pr",
      automation: FAILED_CHECK_FOLLOW_UP,
      actor: { login: pull.requester, type: pull.requester.endsWith("[bot]") ? "Bot" : "User" },
      doing: "have the agent follow up",
      config,
      instructions: async () =>
        followUpInstructions(
          check,
          await failureExcerpt(deps.octokit, repo, check),
          verdict.nth,
          fixFailedChecks.maxPerPull,
        ),
      refused: () => skip(`the requester @${pull.requester} no longer passes the gate`, number),
    });
  }
  return "ignored";
}
