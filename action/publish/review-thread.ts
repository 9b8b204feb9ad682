import type { GitHub } from "../github/client.ts";

/**
 * The review thread a `/agent fix` on a line of the diff was given in (`task.reviewComment`): the
 * agent answers there, and marks the thread resolved when its commit changed the file the thread is
 * on. Replies go to the thread's first comment ("Create a reply for a review comment": replies to
 * replies are not supported, https://docs.github.com/en/rest/pulls/comments#create-a-reply-for-a-review-comment);
 * resolving is GraphQL only (`resolveReviewThread`,
 * https://docs.github.com/en/graphql/reference/mutations#resolvereviewthread), found by the
 * thread's first comment's database id.
 */
export async function answerReviewThread(
  gh: GitHub,
  repo: { owner: string; name: string },
  pullNumber: number,
  comment: { id: number; path: string },
  body: string,
  changedPaths: readonly string[],
): Promise<{ replyUrl: string; resolved: boolean }> {
  const { data } = await gh.rest.pulls.createReplyForReviewComment({
    owner: repo.owner,
    repo: repo.name,
    pull_number: pullNumber,
    comment_id: comment.id,
    body,
  });
  if (!changedPaths.includes(comment.path)) return { replyUrl: data.html_url, resolved: false };
  const threadId = await findThread(gh, repo, pullNumber, comment.id);
  if (!threadId) return { replyUrl: data.html_url, resolved: false };
  const resolved = await gh.graphql<{ resolveReviewThread: { thread: { isResolved: boolean } } }>(
    `mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { isResolved } } }`,
    { threadId },
  );
  return { replyUrl: data.html_url, resolved: resolved.resolveReviewThread.thread.isResolved };
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number | null }[] } }[];
      };
    } | null;
  } | null;
}

async function findThread(
  gh: GitHub,
  repo: { owner: string; name: string },
  number: number,
  commentId: number,
): Promise<string | undefined> {
  const page = await gh.graphql<ThreadsPage>(
    `query($owner: String!, $name: String!, $number: Int!) {
      repository(owner: $owner, name: $name) {
        pullRequest(number: $number) {
          reviewThreads(first: 100) { nodes { id isResolved comments(first: 1) { nodes { databaseId } } } }
        }
      }
    }`,
    { owner: repo.owner, name: repo.name, number },
  );
  const threads = page.repository?.pullRequest?.reviewThreads.nodes ?? [];
  const thread = threads.find((t) => t.comments.nodes[0]?.databaseId === commentId);
  return thread && !thread.isResolved ? thread.id : undefined;
}
