import { callerUser, findRepo, paginate, type RouteContext } from "../context.ts";
import { GitHubError, validationFailed } from "../errors.ts";
import { checkMaintainerEdits, resolveHead } from "../forks.ts";
import { countCommits, resolveRef } from "../git-repos.ts";
import { fetchForkHead, findPull as findPullIn, pullShas, syncPullRefs } from "../pull-lookup.ts";
import type { Router } from "../router.ts";
import {
  type PullIssue,
  pullRequestShape,
  pullRequestSimpleShape,
  reviewCommentShape,
  reviewShape,
} from "../shapes/pull.ts";
import { type IssueRecord, now, type RepoRecord } from "../state.ts";

/** Pull requests and reviews. Head and base shas are read from the bare repository on every request. */
export function registerPullRoutes(router: Router, ctx: RouteContext): void {
  const findPull = (repo: RepoRecord, number: string) => findPullIn(ctx, repo, number);
  const shas = pullShas;
  /** `?head=owner:branch` filters by the head's repository too; an owner without a fork matches nothing. */
  const headMatches = (pull: PullIssue, head: string): boolean => {
    try {
      const wanted = resolveHead(ctx, pull.repo, head);
      return pull.pull.headRef === wanted.ref && (pull.pull.headRepo ?? pull.repo) === wanted.repo;
    } catch {
      return false;
    }
  };
  const fullShape = async (pull: PullIssue) => {
    const current = await shas(pull);
    return pullRequestShape(pull, ctx.urls, current, {
      comments: ctx.state.comments.filter((c) => c.issue === pull).length,
      reviewComments: ctx.state.reviewComments.filter((c) => c.pull === pull).length,
      commits:
        current.head && current.base ? await countCommits(pull.repo.gitDir, current.base, current.head) : 0,
    });
  };
  router.on("POST /repos/{owner}/{repo}/pulls", async ({ params, body, caller }) => {
    const repo = findRepo(ctx, params);
    if (!body.title) throw validationFailed("title is missing");
    const head = resolveHead(ctx, repo, body.head);
    const headSha = await resolveRef(head.repo.gitDir, `refs/heads/${head.ref}`);
    const baseSha = await resolveRef(repo.gitDir, `refs/heads/${body.base}`);
    if (!headSha) throw validationFailed(`head: the branch ${head.ref} does not exist`);
    if (!baseSha) throw validationFailed(`base: the branch ${body.base} does not exist`);
    const open = ctx.state.issues.find(
      (i) =>
        i.repo === repo &&
        i.state === "open" &&
        i.pull?.headRef === head.ref &&
        (i.pull.headRepo ?? repo) === head.repo &&
        i.pull.baseRef === body.base,
    );
    if (open)
      throw validationFailed(`A pull request already exists for ${head.repo.owner.login}:${head.ref}.`);
    const fromFork = head.repo !== repo;
    const maintainerCanModify = fromFork && body.maintainer_can_modify === true;
    checkMaintainerEdits(head.repo, maintainerCanModify);
    if (fromFork) await fetchForkHead(repo, head.repo, head.ref, headSha);
    if ((await countCommits(repo.gitDir, baseSha, headSha)) === 0) {
      throw validationFailed(`No commits between ${body.base} and ${body.head}`);
    }
    const pull = ctx.state.createIssue(repo, {
      title: body.title,
      body: body.body ?? null,
      user: callerUser(ctx, caller),
      pull: {
        headRef: head.ref,
        baseRef: body.base,
        draft: body.draft ?? false,
        merged: false,
        ...(fromFork ? { headRepo: head.repo, maintainerCanModify } : {}),
      },
    }) as PullIssue;
    await syncPullRefs(ctx, repo);
    ctx.emit({ name: "pull_request.opened", pull });
    return { status: 201, body: await fullShape(pull) };
  });

  router.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", async ({ params }) => ({
    status: 200,
    body: await fullShape(findPull(findRepo(ctx, params), params.pull_number)),
  }));

  router.on("GET /repos/{owner}/{repo}/pulls", async ({ params, query }) => {
    const repo = findRepo(ctx, params);
    const state = query.get("state") ?? "open";
    const head = query.get("head");
    const base = query.get("base");
    // "List pull requests" (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests): `sort`
    // created (default), updated, popularity or long-running; `direction` defaults to desc when
    // sorting by created (or not at all), asc otherwise. The last two are not modelled here.
    const sort = query.get("sort") ?? "created";
    if (sort === "popularity" || sort === "long-running")
      throw new GitHubError(501, `sort=${sort} is not modelled by the local GitHub`);
    if (sort !== "created" && sort !== "updated")
      throw validationFailed("sort must be created, updated, popularity or long-running");
    const direction = query.get("direction") ?? (sort === "created" ? "desc" : "asc");
    if (direction !== "asc" && direction !== "desc") throw validationFailed("direction must be asc or desc");
    const key = (pull: IssueRecord) => (sort === "created" ? pull.createdAt : pull.updatedAt);
    const pulls = ctx.state.issues.filter(
      (issue): issue is IssueRecord & PullIssue =>
        issue.repo === repo &&
        issue.pull !== undefined &&
        (state === "all" || issue.state === state) &&
        (head === null || headMatches(issue as PullIssue, head)) &&
        (base === null || issue.pull.baseRef === base),
    );
    // Timestamps have second precision: ties keep creation order (the issue number).
    pulls.sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
    if (direction === "desc") pulls.reverse();
    const page = paginate(pulls, query);
    return {
      status: 200,
      body: await Promise.all(
        page.map(async (pull) => pullRequestSimpleShape(pull, ctx.urls, await shas(pull))),
      ),
    };
  });

  router.on("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", async ({ params, body, caller }) => {
    const pull = findPull(findRepo(ctx, params), params.pull_number);
    if (typeof body.title === "string") pull.title = body.title;
    if (typeof body.body === "string") pull.body = body.body;
    const closing = body.state === "closed" && pull.state === "open";
    if (body.state === "open" || body.state === "closed") {
      pull.state = body.state;
      pull.closedAt = body.state === "closed" ? (pull.closedAt ?? now()) : null;
    }
    // Closed without a merge: `pull_request` "closed" with `merged: false` ("If merged is false in
    // the webhook payload, the pull request was closed with unmerged commits",
    // https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request).
    if (closing) ctx.emit({ name: "pull_request.closed", pull, sender: callerUser(ctx, caller) });
    return { status: 200, body: await fullShape(pull) };
  });

  router.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", ({ params, query }) => {
    const pull = findPull(findRepo(ctx, params), params.pull_number);
    const reviews = ctx.state.reviews.filter((review) => review.pull === pull);
    return { status: 200, body: paginate(reviews, query).map((review) => reviewShape(review, ctx.urls)) };
  });

  router.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", ({ params, query }) => {
    const pull = findPull(findRepo(ctx, params), params.pull_number);
    const comments = ctx.state.reviewComments.filter((comment) => comment.pull === pull);
    return { status: 200, body: paginate(comments, query).map((c) => reviewCommentShape(c, ctx.urls)) };
  });
}
