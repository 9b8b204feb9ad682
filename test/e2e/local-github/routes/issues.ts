import { callerUser, findIssue, findRepo, paginate, type RouteContext } from "../context.ts";
import { notFound, validationFailed } from "../errors.ts";
import type { Router } from "../router.ts";
import { issueCommentShape, issueShape, labelShape } from "../shapes/issue.ts";
import { type CommentRecord, type IssueRecord, now } from "../state.ts";

/** Issues, their comments and labels. Pull requests are issues too, so these routes serve both. */
export function registerIssueRoutes(router: Router, ctx: RouteContext): void {
  const commentCount = (issue: IssueRecord) => ctx.state.comments.filter((c) => c.issue === issue).length;
  const findComment = (params: { owner: string; repo: string; comment_id: string }): CommentRecord => {
    const repo = findRepo(ctx, params);
    const comment = ctx.state.comment(Number(params.comment_id));
    if (!comment || comment.issue.repo !== repo) throw notFound();
    return comment;
  };

  router.on("POST /repos/{owner}/{repo}/issues", ({ params, body, caller }) => {
    const repo = findRepo(ctx, params);
    if (typeof body.title !== "string" || body.title === "") throw validationFailed("title is missing");
    const labels = (body.labels ?? []).map((label) =>
      typeof label === "string" ? label : (label.name ?? ""),
    );
    const issue = ctx.state.createIssue(repo, {
      title: body.title,
      body: body.body ?? null,
      user: callerUser(ctx, caller),
      labels,
    });
    return { status: 201, body: issueShape(issue, ctx.urls, 0) };
  });

  router.on("GET /repos/{owner}/{repo}/issues/{issue_number}", ({ params }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    return { status: 200, body: issueShape(issue, ctx.urls, commentCount(issue)) };
  });

  router.on("PATCH /repos/{owner}/{repo}/issues/{issue_number}", ({ params, body }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    if (typeof body.title === "string") issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body;
    if (body.state === "open" || body.state === "closed") {
      issue.state = body.state;
      issue.closedAt = body.state === "closed" ? now() : null;
    }
    issue.updatedAt = now();
    return { status: 200, body: issueShape(issue, ctx.urls, commentCount(issue)) };
  });

  router.on("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ params, query }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    const since = query.get("since");
    const comments = ctx.state.comments
      .filter((comment) => comment.issue === issue)
      .filter((comment) => since === null || comment.updatedAt >= since);
    return {
      status: 200,
      body: paginate(comments, query).map((c) => issueCommentShape(c, ctx.urls, ctx.installation)),
    };
  });

  router.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ params, body, caller }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    if (typeof body.body !== "string" || body.body === "") throw validationFailed("body is missing");
    const comment = ctx.state.createComment(
      issue,
      body.body,
      callerUser(ctx, caller),
      caller.kind === "installation",
    );
    ctx.emit({ name: "issue_comment.created", comment });
    return {
      status: 201,
      body: issueCommentShape(comment, ctx.urls, ctx.installation),
      headers: {
        Location: `${ctx.urls.api}/repos/${params.owner}/${params.repo}/issues/comments/${comment.id}`,
      },
    };
  });

  router.on("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ params }) => ({
    status: 200,
    body: issueCommentShape(findComment(params), ctx.urls, ctx.installation),
  }));

  router.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ params, body, caller }) => {
    const comment = findComment(params);
    const editor = callerUser(ctx, caller);
    // GitHub lets an App edit only its own comments (without admin rights on the repository).
    if (editor.login !== comment.user.login) throw notFound();
    if (typeof body.body !== "string" || body.body === "") throw validationFailed("body is missing");
    const previousBody = comment.body;
    comment.body = body.body;
    comment.updatedAt = now();
    ctx.emit({ name: "issue_comment.edited", comment, previousBody });
    return { status: 200, body: issueCommentShape(comment, ctx.urls, ctx.installation) };
  });

  router.on("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", ({ params, body, caller }) => {
    const issue = findIssue(ctx, findRepo(ctx, params), params.issue_number);
    const names = Array.isArray(body)
      ? body.map((entry) => (typeof entry === "string" ? entry : entry.name))
      : typeof body === "object" && body !== null && "labels" in body && Array.isArray(body.labels)
        ? body.labels.map((entry) => (typeof entry === "string" ? entry : entry.name))
        : [];
    for (const name of names) {
      const already = issue.labels.some((existing) => existing.toLowerCase() === name.toLowerCase());
      const label = ctx.state.addLabel(issue, name);
      if (!already) ctx.emit({ name: "issues.labeled", issue, label, sender: callerUser(ctx, caller) });
    }
    const fullName = `${issue.repo.owner.login}/${issue.repo.name}`;
    const labels = issue.labels.map((name) =>
      labelShape(issue.repo.labels.get(name.toLowerCase())!, fullName, ctx.urls),
    );
    return { status: 200, body: labels.map((label) => ({ ...label, description: label.description ?? "" })) };
  });
}
