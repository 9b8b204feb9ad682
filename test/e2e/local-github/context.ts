import type { Clock } from "./clock.ts";
import type { Credentials } from "./credentials.ts";
import { notFound } from "./errors.ts";
import { pageOfRequest } from "./link-header.ts";
import type { Caller } from "./openapi-route.ts";
import type { InstallationRecord } from "./shapes/installation.ts";
import type { Urls } from "./shapes/urls.ts";
import type {
  CommentRecord,
  GitHubState,
  IssueRecord,
  LabelRecord,
  RepoRecord,
  ReviewCommentRecord,
  ReviewRecord,
  RunRecord,
  UserRecord,
} from "./state.ts";

/** What happened through the API that GitHub would tell the App about, or hand to a runner. */
export type GitHubEvent =
  | { name: "issue_comment.created"; comment: CommentRecord }
  | { name: "issue_comment.edited"; comment: CommentRecord; previousBody: string }
  | { name: "issues.labeled"; issue: IssueRecord; label: LabelRecord; sender: UserRecord }
  | { name: "pull_request.opened"; pull: IssueRecord }
  | { name: "pull_request.closed"; pull: IssueRecord; sender: UserRecord }
  | { name: "pull_request_review.submitted"; review: ReviewRecord; comments: ReviewCommentRecord[] }
  | { name: "workflow_dispatch"; run: RunRecord }
  | { name: "workflow_run.cancel"; run: RunRecord };

/** Everything a route module needs: state, addresses, credentials and the event outlet. */
export interface RouteContext {
  state: GitHubState;
  urls: Urls;
  credentials: Credentials;
  installation: InstallationRecord;
  clock: Clock;
  emit(event: GitHubEvent): void;
}

export function findRepo(ctx: RouteContext, params: { owner: string; repo: string }): RepoRecord {
  const repo = ctx.state.repo(params.owner, params.repo);
  if (!repo) throw notFound();
  return repo;
}

export function findIssue(ctx: RouteContext, repo: RepoRecord, number: string): IssueRecord {
  const issue = ctx.state.issue(repo, Number(number));
  if (!issue) throw notFound();
  return issue;
}

/** The user a request acts as: the App's bot for installation tokens. */
export function callerUser(ctx: RouteContext, caller: Caller): UserRecord {
  if (caller.kind === "app") return ctx.state.user(ctx.credentials.botLogin, "Bot");
  return ctx.state.user(caller.login);
}

/** GitHub's pagination: `per_page` (max 100) and `page`, 1-based. */
export function paginate<T>(items: T[], query: URLSearchParams): T[] {
  const perPage = Math.min(Number(query.get("per_page") ?? 30) || 30, 100);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  // The router answers with the `link` header for this page (link-header.ts).
  const slot = pageOfRequest.getStore();
  if (slot) slot.cut = { page, perPage, total: items.length };
  return items.slice((page - 1) * perPage, page * perPage);
}
