import { callerUser, findRepo, paginate, type RouteContext } from "../context.ts";
import { notFound, validationFailed } from "../errors.ts";
import { pullCommits } from "../pull-commits.ts";
import { pullDiff } from "../pull-diff.ts";
import { findPull, pullShas } from "../pull-lookup.ts";
import { checkReviewComments, type DraftComment, diffHunkOf } from "../review-rules.ts";
import type { Router } from "../router.ts";
import { reviewCommentShape, reviewShape } from "../shapes/pull.ts";
import { now, type ReviewCommentRecord, type ReviewRecord } from "../state.ts";

const REVIEW_STATES = {
  APPROVE: "APPROVED",
  REQUEST_CHANGES: "CHANGES_REQUESTED",
  COMMENT: "COMMENTED",
} as const;

export function registerReviewRoutes(router: Router, ctx: RouteContext): void {
  router.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", async ({ params, query }) => {
    const pull = findPull(ctx, findRepo(ctx, params), params.pull_number);
    const { head, base } = await pullShas(pull);
    const files = await pullDiff(pull.repo.gitDir, base, head);
    const fullName = `${pull.repo.owner.login}/${pull.repo.name}`;
    return {
      status: 200,
      body: paginate(files, query).map((file) => ({
        sha: file.blobSha,
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        changes: file.additions + file.deletions,
        blob_url: `${ctx.urls.html}/${fullName}/blob/${head}/${file.filename}`,
        raw_url: `${ctx.urls.html}/${fullName}/raw/${head}/${file.filename}`,
        contents_url: `${ctx.urls.api}/repos/${fullName}/contents/${file.filename}?ref=${head}`,
        patch: file.patch,
        ...(file.previousFilename ? { previous_filename: file.previousFilename } : {}),
      })),
    };
  });

  router.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/commits", async ({ params, query }) => {
    const pull = findPull(ctx, findRepo(ctx, params), params.pull_number);
    const { head, base } = await pullShas(pull);
    return { status: 200, body: paginate(await pullCommits(ctx, pull.repo, base, head), query) };
  });

  /**
   * A reply in a review thread, made to the thread's first comment: "Replies to replies are not
   * supported" (https://docs.github.com/en/rest/pulls/comments#create-a-reply-for-a-review-comment),
   * answered 404 here as for any comment that is not a thread's first on this pull request.
   */
  router.on(
    "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
    ({ params, body, caller }) => {
      const pull = findPull(ctx, findRepo(ctx, params), params.pull_number);
      const root = ctx.state.reviewComments.find(
        (c) => c.id === Number(params.comment_id) && c.pull === pull && c.inReplyTo === undefined,
      );
      if (!root) throw notFound();
      const reply: ReviewCommentRecord = {
        ...root,
        id: ctx.state.id(),
        body: body.body,
        user: callerUser(ctx, caller),
        createdAt: now(),
        inReplyTo: root.id,
      };
      ctx.state.reviewComments.push(reply);
      return { status: 201, body: reviewCommentShape(reply, ctx.urls) };
    },
  );

  router.on("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", async ({ params, body, caller }) => {
    const pull = findPull(ctx, findRepo(ctx, params), params.pull_number);
    const user = callerUser(ctx, caller);
    const event = body.event;
    if ((event === "APPROVE" || event === "REQUEST_CHANGES") && pull.user === user) {
      const verb = event === "APPROVE" ? "approve" : "request changes on";
      throw validationFailed(`Can not ${verb} your own pull request`);
    }
    if (event === "REQUEST_CHANGES" && !body.body)
      throw validationFailed("Review body is required for REQUEST_CHANGES");
    const { head, base } = await pullShas(pull);
    const commitId = body.commit_id ?? head;
    const files = await pullDiff(pull.repo.gitDir, base, commitId);
    const drafts = (body.comments ?? []) as DraftComment[];
    checkReviewComments(drafts, files);
    const review: ReviewRecord = {
      id: ctx.state.id(),
      pull,
      user,
      body: body.body ?? "",
      state: event ? REVIEW_STATES[event] : "PENDING",
      commitId,
      submittedAt: now(),
    };
    ctx.state.reviews.push(review);
    const created: ReviewCommentRecord[] = [];
    for (const draft of drafts) {
      const comment: ReviewCommentRecord = {
        id: ctx.state.id(),
        reviewId: review.id,
        pull,
        path: draft.path,
        line: draft.line ?? draft.position ?? null,
        startLine: draft.start_line ?? null,
        side: draft.side === "LEFT" ? "LEFT" : "RIGHT",
        body: draft.body,
        user,
        commitId,
        diffHunk: diffHunkOf(draft, files),
        createdAt: review.submittedAt,
      };
      ctx.state.reviewComments.push(comment);
      created.push(comment);
    }
    // A pending review is the reviewer's draft: GitHub tells Apps about a review once it is submitted.
    if (review.state !== "PENDING")
      ctx.emit({ name: "pull_request_review.submitted", review, comments: created });
    return { status: 200, body: reviewShape(review, ctx.urls) };
  });
}
