import type { TaskKind } from "../../core/task.ts";
import type { Deps, Outcome, RepoRef } from "../deps/types.ts";
import { readAgentComments, renderRefusalMarker } from "../github/agent-comments.ts";
import { reply } from "../github/github-writes.ts";
import { withIssueLock } from "./issue-lock.ts";

/**
 * Tells a refused user why, once per issue: repeated commands by the same user get silence, not spam.
 * A refused task (`kind` set) is recorded in the run history every time.
 */
export async function refuseOnce(
  deps: Deps,
  repo: RepoRef,
  number: number,
  refusal: { login: string; reason: string; message: string; kind?: TaskKind },
): Promise<Outcome> {
  deps.metrics.refusals.inc({ reason: refusal.reason });
  if (refusal.kind) {
    await deps.recorder?.refused(
      {
        repo,
        number,
        kind: refusal.kind,
        actor: refusal.login,
        event: deps.event,
        delivery: deps.delivery,
        at: deps.now(),
      },
      refusal.message,
    );
  }
  return withIssueLock<Outcome>(`${repo.owner}/${repo.name}#${number}`, async () => {
    const comments = await readAgentComments(deps.octokit, repo, number, deps.appId);
    if (comments.refused.has(refusal.login.toLowerCase())) return "refused";
    await reply(deps.octokit, repo, number, `${renderRefusalMarker(refusal.login)}\n🚫 ${refusal.message}`);
    return "refused";
  });
}
