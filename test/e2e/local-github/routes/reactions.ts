import { callerUser, findIssue, findRepo, type RouteContext } from "../context.ts";
import { notFound, validationFailed } from "../errors.ts";
import type { Router } from "../router.ts";
import { reactionShape } from "../shapes/issue.ts";
import { now, type ReactionContent, type ReactionRecord, type UserRecord } from "../state.ts";

const CONTENTS: readonly ReactionContent[] = [
  "+1",
  "-1",
  "laugh",
  "confused",
  "heart",
  "hooray",
  "rocket",
  "eyes",
];

/** Reactions on issues and issue comments. Reacting twice answers 200 with the first reaction, as GitHub does. */
export function registerReactionRoutes(router: Router, ctx: RouteContext): void {
  const react = (
    subject: ReactionRecord["subject"],
    content: string,
    user: UserRecord,
  ): { created: boolean; reaction: ReactionRecord } => {
    if (!(CONTENTS as readonly string[]).includes(content))
      throw validationFailed(`unknown reaction ${content}`);
    const same = (r: ReactionRecord) =>
      r.content === content &&
      r.user === user &&
      (r.subject.kind === "issue" && subject.kind === "issue"
        ? r.subject.issue === subject.issue
        : r.subject.kind === "comment" &&
          subject.kind === "comment" &&
          r.subject.comment === subject.comment);
    const existing = ctx.state.reactions.find(same);
    if (existing) return { created: false, reaction: existing };
    const reaction: ReactionRecord = {
      id: ctx.state.id(),
      subject,
      content: content as ReactionContent,
      user,
      createdAt: now(),
    };
    ctx.state.reactions.push(reaction);
    return { created: true, reaction };
  };

  router.on("POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", ({ params, body, caller }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    const { created, reaction } = react({ kind: "issue", issue }, body.content, callerUser(ctx, caller));
    return { status: created ? 201 : 200, body: reactionShape(reaction, ctx.urls) };
  });

  router.on(
    "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
    ({ params, body, caller }) => {
      const repo = findRepo(ctx, params);
      const comment = ctx.state.comment(Number(params.comment_id));
      if (!comment || comment.issue.repo !== repo) throw notFound();
      const { created, reaction } = react(
        { kind: "comment", comment },
        body.content,
        callerUser(ctx, caller),
      );
      return { status: created ? 201 : 200, body: reactionShape(reaction, ctx.urls) };
    },
  );
}
