import type { GitHubEvent } from "./context.ts";
import type { PullIssue } from "./shapes/pull.ts";
import type { WebhookPayloads } from "./webhook-payloads.ts";
import type { WebhookSender } from "./webhook-sender.ts";

/** The webhook a change made through the API sends to the App (events with no webhook send none). */
export async function deliverEventWebhook(
  event: GitHubEvent,
  webhooks: WebhookSender,
  payloads: WebhookPayloads,
): Promise<void> {
  switch (event.name) {
    case "issue_comment.created":
      await webhooks.deliver("issue_comment", payloads.issueCommentCreated(event.comment));
      return;
    case "issue_comment.edited":
      await webhooks.deliver(
        "issue_comment",
        payloads.issueCommentEdited(event.comment, event.previousBody, event.comment.user),
      );
      return;
    case "issues.labeled":
      await webhooks.deliver("issues", payloads.issuesLabeled(event.issue, event.label, event.sender));
      return;
    case "pull_request.opened":
      await webhooks.deliver("pull_request", await payloads.pullRequestOpened(event.pull as PullIssue));
      return;
    case "pull_request.closed":
      await webhooks.deliver(
        "pull_request",
        await payloads.pullRequestClosed(event.pull as PullIssue, event.sender),
      );
      return;
    case "pull_request_review.submitted":
      // The review, then each of its line comments (`pull_request_review` "submitted";
      // `pull_request_review_comment` "created": a comment on the PR's diff;
      // https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request_review_comment).
      await webhooks.deliver("pull_request_review", await payloads.pullRequestReviewSubmitted(event.review));
      for (const comment of event.comments) {
        await webhooks.deliver(
          "pull_request_review_comment",
          await payloads.pullRequestReviewCommentCreated(comment),
        );
      }
      return;
    default:
      return;
  }
}
