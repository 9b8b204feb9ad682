import type { GitHub, RepoRef } from "../types.ts";

/** The few writes the app makes, named for what they do. */

export async function reply(octokit: GitHub, repo: RepoRef, number: number, body: string) {
  const { data } = await octokit.rest.issues.createComment({
    owner: repo.owner,
    repo: repo.name,
    issue_number: number,
    body,
  });
  return data;
}

export async function editComment(
  octokit: GitHub,
  repo: RepoRef,
  commentId: number,
  body: string,
): Promise<void> {
  await octokit.rest.issues.updateComment({
    owner: repo.owner,
    repo: repo.name,
    comment_id: commentId,
    body,
  });
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
