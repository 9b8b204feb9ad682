import { parseStatusMarker, type StatusState } from "../../core/status-marker.ts";
import type { GitHub, RepoRef } from "../types.ts";

/**
 * Edits a status comment only if it is still in the state we last wrote: the runner edits the same
 * comment, and its "running" must not be overwritten by our late "queued". GitHub has no
 * compare-and-set for comments, so this narrows the race to one round trip.
 */
export async function editStatusIfStill(
  octokit: GitHub,
  repo: RepoRef,
  commentId: number,
  expected: StatusState,
  body: string,
): Promise<boolean> {
  const { data } = await octokit.rest.issues.getComment({
    owner: repo.owner,
    repo: repo.name,
    comment_id: commentId,
  });
  if (parseStatusMarker(data.body ?? "")?.state !== expected) return false;
  await octokit.rest.issues.updateComment({
    owner: repo.owner,
    repo: repo.name,
    comment_id: commentId,
    body,
  });
  return true;
}
