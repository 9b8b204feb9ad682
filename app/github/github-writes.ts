import {
  ConditionalStatusComment,
  type KnownComment,
  knownFrom,
} from "../../core/github/status-comment-access.ts";
import type { StatusState } from "../../core/status-marker.ts";
import { type StatusWriteResult, writeStatusIfAllowed } from "../../core/status-state.ts";
import type { GitHub, RepoRef } from "../deps/types.ts";

/** The few writes the app makes, named for what they do. */

function createComment(octokit: GitHub, repo: RepoRef, number: number, body: string) {
  return octokit.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.name,
    issue_number: number,
    body,
  });
}

export async function reply(octokit: GitHub, repo: RepoRef, number: number, body: string) {
  return (await createComment(octokit, repo, number, body)).data;
}

/** Posts a task's status comment; GitHub's answer (with its ETag) is kept for the first edit. */
export async function postStatus(
  octokit: GitHub,
  repo: RepoRef,
  number: number,
  body: string,
): Promise<{ id: number; known?: KnownComment }> {
  const answer = await createComment(octokit, repo, number, body);
  const known = knownFrom(answer);
  return { id: answer.data.id, ...(known ? { known } : {}) };
}

/**
 * Edits a status comment by the state machine of core/status-state.ts: read, judge the move from
 * the state found, write only if allowed (the runner edits the same comment: its "running" must not
 * become our late "queued", nor its result our "cancelled"). With `known` (what our own POST
 * answered), the read is conditional and costs no rate limit while nobody else edited the comment
 * (core/github/status-comment-access.ts).
 */
export async function editStatus(
  octokit: GitHub,
  repo: RepoRef,
  commentId: number,
  body: string,
  expected?: readonly StatusState[],
  known?: KnownComment,
): Promise<StatusWriteResult> {
  const comment = { owner: repo.owner, repo: repo.name, comment_id: commentId };
  return writeStatusIfAllowed(new ConditionalStatusComment(octokit.request, comment, known), body, expected);
}

export async function reactEyes(
  octokit: GitHub,
  repo: RepoRef,
  on: { commentId?: number; number: number },
): Promise<void> {
  if (on.commentId !== undefined) {
    await octokit.rest.reactions.createForIssueComment({
      owner: repo.owner,
      repo: repo.name,
      comment_id: on.commentId,
      content: "eyes",
    });
  } else {
    await octokit.rest.reactions.createForIssue({
      owner: repo.owner,
      repo: repo.name,
      issue_number: on.number,
      content: "eyes",
    });
  }
}
