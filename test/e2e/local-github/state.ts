/**
 * Everything the local GitHub knows, in memory. Records hold what a test or a handler sets;
 * `shapes/` renders them as GitHub's JSON. Numbers are shared between issues and pull requests
 * within a repository, and ids are global, as on GitHub.
 */
export type Role = "admin" | "maintain" | "write" | "triage" | "read";

export interface UserRecord {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface RepoRecord {
  id: number;
  owner: UserRecord;
  name: string;
  defaultBranch: string;
  /** The bare repository on disk that git clients clone and push over HTTP. */
  gitDir: string;
  collaborators: Map<string, Role>;
  labels: Map<string, LabelRecord>;
  nextNumber: number;
  createdAt: string;
  /** Set on a fork: the repository it was forked from (`forks.ts`). */
  forkOf?: RepoRecord;
  /** Self-hosted runners registered to it (`LocalGitHub.addRunner`). */
  runners?: RunnerRecord[];
}

/** A self-hosted runner registered to a repository, as Settings → Actions → Runners lists it. */
export interface RunnerRecord {
  id: number;
  name: string;
  labels: string[];
  status: "online" | "offline";
  busy: boolean;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullFields {
  headRef: string;
  baseRef: string;
  draft: boolean;
  merged: boolean;
  /** Set by a merge (`merge-pull.ts`). */
  mergedAt?: string;
  mergeCommitSha?: string;
  /** The base and head commits at merge time: a merged PR keeps its commits and files (pull-lookup.ts). */
  mergedBaseSha?: string;
  mergedHeadSha?: string;
  mergedBy?: UserRecord;
  /** The fork the head branch lives in; undefined when it is a branch of the base repository. */
  headRepo?: RepoRecord;
  /** "Allow edits from maintainers" on a fork pull request (`forks.ts`). */
  maintainerCanModify?: boolean;
}

export interface IssueRecord {
  id: number;
  repo: RepoRecord;
  number: number;
  title: string;
  body: string | null;
  user: UserRecord;
  state: "open" | "closed";
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set when this number is a pull request. */
  pull?: PullFields;
}

export interface CommentRecord {
  id: number;
  issue: IssueRecord;
  body: string;
  user: UserRecord;
  /** Created with an installation token: GitHub then names the App in `performed_via_github_app`. */
  viaApp: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface ReactionRecord {
  id: number;
  subject: { kind: "issue"; issue: IssueRecord } | { kind: "comment"; comment: CommentRecord };
  content: ReactionContent;
  user: UserRecord;
  createdAt: string;
}

export interface ReviewCommentRecord {
  id: number;
  reviewId: number;
  pull: IssueRecord;
  path: string;
  line: number | null;
  startLine: number | null;
  side: "LEFT" | "RIGHT";
  body: string;
  user: UserRecord;
  commitId: string;
  /** The hunk down to the commented line (`review-rules.ts`); a reply has its thread's. */
  diffHunk?: string;
  createdAt: string;
  /** A reply in a review thread: the thread's first comment. */
  inReplyTo?: number;
}

export interface ReviewRecord {
  id: number;
  pull: IssueRecord;
  user: UserRecord;
  body: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING";
  commitId: string;
  submittedAt: string;
}

export interface RunRecord {
  id: number;
  repo: RepoRecord;
  /** The workflow file name, e.g. `agent.yml`. */
  workflowFile: string;
  workflowId: number;
  workflowName: string;
  runNumber: number;
  displayTitle: string;
  event: "workflow_dispatch" | "schedule" | "pull_request";
  /** The event payload the runner writes to `GITHUB_EVENT_PATH` beyond the inputs (`schedule` for a scheduled run). */
  eventPayload?: Record<string, unknown>;
  /** One entry per job of the run: the job's matrix values (`{}` without a matrix). */
  jobs: Record<string, string>[];
  headBranch: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: "success" | "failure" | "cancelled" | null;
  actor: UserRecord;
  inputs: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  /** The runner that picked the run up, once one has. */
  runnerName: string | null;
  /** The rendered `concurrency.group`: one run of a group at a time, as on GitHub. */
  concurrency?: { group: string; cancelInProgress: boolean };
  /** Every status the run has had, in order: queued → in_progress → completed. */
  statusHistory: RunRecord["status"][];
  /** The workflow grants `id-token: write`, so the runner can request an OIDC token (`actions-oidc.ts`). */
  idTokenWrite?: boolean;
}

export interface PushRecord {
  repo: string;
  ref: string;
  before: string;
  after: string;
  /** The update rewrote history (before is not an ancestor of after). */
  forced: boolean;
  /** git refused it (`ng <ref> <reason>`); accepted pushes have none. */
  refused?: string;
  /** `api` for a commit made through GitHub's API (`createCommitOnBranch`), which moves the ref like a push. */
  via?: "git" | "api";
}

/** GitHub's timestamps have second precision. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export class GitHubState {
  private nextId = 1000;
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly issues: IssueRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  /** Review threads marked resolved (GraphQL `resolveReviewThread`), by their first comment's id. */
  readonly resolvedThreads = new Set<number>();
  readonly runs: RunRecord[] = [];
  /** Actions jobs' logs, by job id (`job-logs.ts`). */
  readonly jobLogs = new Map<number, { repo: RepoRecord; text: string }>();
  readonly pushes: PushRecord[] = [];
  /** Commits the local GitHub made itself (API commits), which GitHub signs and shows as Verified. */
  readonly signedCommits = new Set<string>();
  private readonly workflowIds = new Map<string, number>();

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  user(login: string, type: UserRecord["type"] = login.endsWith("[bot]") ? "Bot" : "User"): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.id(), type };
      this.users.set(login, user);
    }
    return user;
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  addRepo(record: RepoRecord): void {
    this.repos.set(`${record.owner.login}/${record.name}`.toLowerCase(), record);
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return this.issues.find((issue) => issue.repo === repo && issue.number === number);
  }

  comment(id: number): CommentRecord | undefined {
    return this.comments.find((comment) => comment.id === id);
  }

  /** A stable id per workflow file, as GitHub gives each workflow one. */
  workflowId(repo: RepoRecord, file: string): number {
    const key = `${repo.id}/${file}`;
    let id = this.workflowIds.get(key);
    if (id === undefined) {
      id = this.id();
      this.workflowIds.set(key, id);
    }
    return id;
  }

  run(id: number): RunRecord | undefined {
    return this.runs.find((run) => run.id === id);
  }

  /** Pull requests and issues share one number sequence per repository. */
  createIssue(
    repo: RepoRecord,
    fields: { title: string; body?: string | null; user: UserRecord; labels?: string[]; pull?: PullFields },
  ): IssueRecord {
    const at = now();
    const issue: IssueRecord = {
      id: this.id(),
      repo,
      number: repo.nextNumber++,
      title: fields.title,
      body: fields.body ?? null,
      user: fields.user,
      state: "open",
      labels: [],
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      ...(fields.pull ? { pull: fields.pull } : {}),
    };
    for (const label of fields.labels ?? []) this.addLabel(issue, label);
    this.issues.push(issue);
    return issue;
  }

  /** Adds the label to the issue, creating it in the repository the way GitHub does on first use. */
  addLabel(issue: IssueRecord, name: string): LabelRecord {
    let label = issue.repo.labels.get(name.toLowerCase());
    if (!label) {
      label = { id: this.id(), name, color: "ededed", description: null };
      issue.repo.labels.set(name.toLowerCase(), label);
    }
    if (!issue.labels.some((existing) => existing.toLowerCase() === name.toLowerCase())) {
      issue.labels.push(label.name);
    }
    return label;
  }

  createComment(issue: IssueRecord, body: string, user: UserRecord, viaApp = false): CommentRecord {
    const at = now();
    const comment: CommentRecord = { id: this.id(), issue, body, user, viaApp, createdAt: at, updatedAt: at };
    this.comments.push(comment);
    return comment;
  }
}
