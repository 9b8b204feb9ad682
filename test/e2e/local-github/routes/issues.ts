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
    const user = callerUser(ctx, caller);
    const issue = ctx.state.createIssue(repo, { title: body.title, body: body.body ?? null, user, labels });
    // Labels given at creation are delivered as one `issues.labeled` each, beside `issues.opened`
    // (octokit/octokit.js#2444, a maintainer: "It's how github sends the webhooks";
    // canonical/gh-jira-sync-bot#71 shows one delivery per label).
    for (const name of issue.labels) {
      ctx.emit({ name: "issues.labeled", issue, label: repo.labels.get(name.toLowerCase())!, sender: user });
    }
    return { status: 201, body: issueShape(issue, ctx.urls, 0) };
  });

  // "List repository issues" (https://docs.github.com/rest/issues/issues#list-repository-issues):
  // `state` open (default), closed or all; `labels` a comma-separated list the issue must all carry;
  // `creator` a login; pull requests are issues too and are listed; newest first by default.
  router.on("GET /repos/{owner}/{repo}/issues", ({ params, query }) => {
    const repo = findRepo(ctx, params);
    const state = query.get("state") ?? "open";
    if (!["open", "closed", "all"].includes(state))
      throw validationFailed("state must be open, closed or all");
    const wanted = (query.get("labels") ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean);
    const creator = query.get("creator")?.toLowerCase();
    const issues = ctx.state.issues
      .filter((issue) => issue.repo === repo)
      .filter((issue) => state === "all" || issue.state === state)
      .filter((issue) => wanted.every((name) => issue.labels.some((l) => l.toLowerCase() === name)))
      .filter((issue) => creator === undefined || issue.user.login.toLowerCase() === creator)
      .sort((a, b) => b.number - a.number);
    return {
      status: 200,
      body: paginate(issues, query).map((issue) => issueShape(issue, ctx.urls, commentCount(issue))),
    };
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
