import { bareBotName } from "../../core/actor-gate.ts";
import { isTerminalState, parseRunName, parseStatusMarker } from "../../core/status-marker.ts";
import type { TaskKind } from "../../core/task.ts";
import { issueOfUrl } from "../../core/task-authenticity.ts";
import type { GitHub } from "../deps/types.ts";
import type { ActionsClaims } from "./oidc-verifier.ts";
import { TokenRefused } from "./oidc-verifier.ts";

export interface TaskGrant {
  target: { owner: string; name: string };
  kind: TaskKind;
}

export interface RunAuthorityDeps {
  appId: number;
  appSlug: string;
  /** An installation client for the repository `owner/name` (404 when the App is not installed there). */
  installationFor(owner: string, name: string): Promise<GitHub>;
}

const refuse = (message: string): never => {
  throw new TokenRefused(403, message);
};

/**
 * Which task a run serves, from GitHub itself: the run the token names must be one this App's bot
 * dispatched (a person's dispatch carries the person, whatever its input says), still running, and
 * its run-name tag must point at a status comment this App wrote, on the same issue, whose marker
 * is still in progress and, once the App has recorded it, names this very run.
 */
export async function authorizeRun(claims: ActionsClaims, deps: RunAuthorityDeps): Promise<TaskGrant> {
  const [owner, name] = claims.repository.split("/");
  if (!owner || !name) refuse(`the token's repository claim '${claims.repository}' is not owner/name`);
  const runId = Number(claims.run_id);
  const runnerRepo = await deps
    .installationFor(owner!, name!)
    .catch(() => refuse(`the App is not installed on ${claims.repository}, where the run is`));
  const { data: run } = await runnerRepo.rest.actions
    .getWorkflowRun({ owner: owner!, repo: name!, run_id: runId })
    .catch(() => refuse(`run ${runId} of ${claims.repository} does not exist`));
  const bot = `${deps.appSlug}[bot]`;
  const dispatcher = run.triggering_actor?.login ?? run.actor?.login ?? "";
  if (run.event !== "workflow_dispatch" || bareBotName(dispatcher) !== bareBotName(bot)) {
    refuse(
      `run ${runId} of ${claims.repository} was started by ${dispatcher} (${run.event}), not dispatched by the App (${bot})`,
    );
  }
  if (run.status === "completed") refuse(`run ${runId} of ${claims.repository} has finished`);
  const tag = parseRunName(run.display_title ?? "");
  if (!tag) refuse(`run ${runId} carries no inhouse run-name tag; use the agent workflow template`);
  const { owner: targetOwner, name: targetName, number, statusCommentId } = tag!;
  const target = await deps
    .installationFor(targetOwner, targetName)
    .catch(() => refuse(`the App is not installed on ${targetOwner}/${targetName}`));
  const { data: comment } = await target.rest.issues
    .getComment({ owner: targetOwner, repo: targetName, comment_id: statusCommentId })
    .catch(() => refuse(`status comment ${statusCommentId} of ${targetOwner}/${targetName} does not exist`));
  if (comment.performed_via_github_app?.id !== deps.appId) {
    refuse(`status comment ${statusCommentId} was not written by this App`);
  }
  const issue = issueOfUrl(comment.issue_url);
  const marker = parseStatusMarker(comment.body ?? "");
  if (
    !marker ||
    !issue ||
    issue.number !== number ||
    issue.repo !== `${targetOwner}/${targetName}`.toLowerCase()
  ) {
    refuse(`status comment ${statusCommentId} does not describe ${targetOwner}/${targetName}#${number}`);
  }
  if (isTerminalState(marker!.state)) refuse(`the task of run ${runId} has ended (${marker!.state})`);
  // Where the App dispatched it: the central runner repository it recorded, else the task's own.
  const dispatchedTo = marker!.runner ?? marker!.run?.repo ?? `${targetOwner}/${targetName}`;
  if (dispatchedTo.toLowerCase() !== claims.repository.toLowerCase()) {
    refuse(
      `status comment ${statusCommentId} dispatched its task to ${dispatchedTo}, not to ${claims.repository}, where this run is`,
    );
  }
  if (
    marker!.run &&
    (marker!.run.id !== runId || marker!.run.repo.toLowerCase() !== claims.repository.toLowerCase())
  ) {
    refuse(
      `status comment ${statusCommentId} belongs to run ${marker!.run.id} of ${marker!.run.repo}, not run ${runId}`,
    );
  }
  return { target: { owner: targetOwner, name: targetName }, kind: marker!.task.kind };
}
