import { isAllowedBot, isBotActor } from "../../core/actor-gate.ts";
import { parseCommand } from "../../core/commands.ts";
import type { Actor, Repository, ReviewCommentCreated, ReviewSubmitted } from "../deps/payloads.ts";
import type { Deps, Outcome } from "../deps/types.ts";
import { reply } from "../github/github-writes.ts";
import { loadWebhookRepoConfig } from "../github/load-repo-config.ts";
import { refuseOnce } from "../task/refuse-once.ts";
import { startGatedTask } from "../task/start-gated-task.ts";
import { lineCommentContext, reviewContext } from "../texts/review-context.ts";

/** A slash at the start of some line: the cheap test before reading the config. */
const MAYBE_COMMAND = /^\s*\/[a-z]/im;

interface ReviewRequest {
  repository: Repository;
  number: number;
  actor: Actor;
  body: string;
  /** Where it was asked, for the agent: built once the command is known to be a fix. */
  context: () => string;
  /** The line comment it was asked in, where the agent answers. */
  reviewComment?: { id: number; path: string };
}

/**
 * `/agent fix` where reviewers leave feedback: a review's body or a comment on a line of the diff
 * (issue 15, item 3). The same gate as a PR comment; the task is a fix-pr whose instructions carry
 * the command's words and where it was asked (file, lines, diff hunk, or the review).
 */
async function startReviewFix(deps: Deps, request: ReviewRequest): Promise<Outcome> {
  const { repository, number, actor, body } = request;
  if (!MAYBE_COMMAND.test(body)) return "ignored";
  const { repo, loaded } = await loadWebhookRepoConfig(deps, repository);
  if (!loaded.parsed.ok) return "invalid-config";
  const config = loaded.parsed.value;
  const command = parseCommand(body, config.trigger.command);
  if (!command) return "ignored";
  // Bots' reviews (the App's own among them, whose text the model wrote) never command the agent.
  if (isBotActor(actor) && !isAllowedBot(actor.login, config.permissions.allowedBots)) return "ignored";
  const prefix = config.trigger.command;
  if (command.name !== "fix") {
    await reply(
      deps.octokit,
      repo,
      number,
      `In a review or on a line of the diff, \`${prefix} fix\` is the command; for \`${prefix} ${command.name}\`, comment on the pull request itself.`,
    );
    return "answered";
  }
  return startGatedTask(deps, {
    repo,
    defaultBranch: repository.default_branch,
    number,
    kind: "fix-pr",
    actor,
    doing: `use \`${prefix} fix\``,
    config,
    instructions: () => [command.text, request.context()].filter((part) => part.trim()).join("\n\n"),
    ...(request.reviewComment ? { reviewComment: request.reviewComment } : {}),
    quietWhenBusy: false,
    refused: (gate) => refuseOnce(deps, repo, number, { login: actor.login, ...gate, kind: "fix-pr" }),
  });
}

/** `pull_request_review_comment.created`: `/agent fix` on a line of the diff. */
export function handleReviewComment(deps: Deps, payload: ReviewCommentCreated): Promise<Outcome> {
  const { comment } = payload;
  return startReviewFix(deps, {
    repository: payload.repository,
    number: payload.pull_request.number,
    actor: comment.user,
    body: comment.body,
    context: () => lineCommentContext(comment, comment.user.login),
    // Replies go to the thread's first comment: GitHub does not take a reply to a reply.
    reviewComment: { id: comment.in_reply_to_id ?? comment.id, path: comment.path },
  });
}

/** `pull_request_review.submitted`: `/agent fix` in the review's body. */
export function handleReview(deps: Deps, payload: ReviewSubmitted): Promise<Outcome> {
  const { review } = payload;
  const actor = review.user ?? payload.sender;
  return startReviewFix(deps, {
    repository: payload.repository,
    number: payload.pull_request.number,
    actor,
    body: review.body ?? "",
    context: () => reviewContext(review.body ?? "", actor.login, review.state),
  });
}
