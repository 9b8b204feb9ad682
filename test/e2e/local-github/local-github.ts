import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ActionsOidc } from "./actions-oidc.ts";
import { type AppManifest, loadManifest } from "./app-manifest.ts";
import { BranchRules } from "./branch-rules.ts";
import { Clock } from "./clock.ts";
import type { GitHubEvent, RouteContext } from "./context.ts";
import { Credentials, type TestApp } from "./credentials.ts";
import { deliverEventWebhook } from "./event-webhooks.ts";
import { createFork, forkPushRule } from "./forks.ts";
import {
  commitFiles,
  createBareRepo,
  listRefs,
  type RepoFiles,
  readPath,
  resolveBranchOrSha,
} from "./git-repos.ts";
import { GitTraffic } from "./git-traffic.ts";
import { close, listen } from "./http-server.ts";
import { mintInstallationToken, type TokenRequest } from "./installation-tokens.ts";
import { mergePull } from "./merge-pull.ts";
import { OAuthWebFlow } from "./oauth-web-flow.ts";
import { syncPullRefs } from "./pull-lookup.ts";
import { pullRequestRun } from "./pull-request-run.ts";
import { PushGate } from "./push-gate.ts";
import { type RateLimitOptions, RateLimits } from "./rate-limits.ts";
import { registerRoutes } from "./register-routes.ts";
import { type RecordedRequest, Router, type Violation } from "./router.ts";
import { RunScheduler } from "./run-scheduler.ts";
import { scheduledRun } from "./scheduled-run.ts";
import { serveRequest } from "./serve-request.ts";
import type { InstallationRecord } from "./shapes/installation.ts";
import type { PullIssue } from "./shapes/pull.ts";
import {
  GitHubState,
  type IssueRecord,
  now,
  type PushRecord,
  type RepoRecord,
  type Role,
  type RunRecord,
} from "./state.ts";
import { type CheckRunReport, WebhookPayloads } from "./webhook-payloads.ts";
import { type Delivery, WebhookSender } from "./webhook-sender.ts";
import { workflowsPushRule } from "./workflow-push-rule.ts";

export interface LocalGitHubOptions {
  /** The account the App is installed on; repositories are created under it. */
  owner?: string;
  app?: { id?: number; slug?: string };
  /**
   * The App manifest whose `default_permissions` the installation carries: the project's `app.yml`
   * unless a test gives another file (`path`) or text.
   */
  manifest?: { path?: string; text?: string };
  /** The local GitHub's time (token expiry, rate-limit windows); a test can `advance` it. */
  clock?: Clock;
  /** Rate limits; GitHub's numbers unless a test lowers them (`rate-limits.ts`). */
  limits?: RateLimitOptions;
}

export type RunListener = (run: RunRecord) => void;

/**
 * A GitHub for tests: the REST routes the App and the action use (checked against GitHub's route
 * list), real git over smart HTTP, webhooks signed with the App's secret, and workflow runs that an
 * attached test runner executes. State lives in memory; repositories in a temp directory.
 */
export class LocalGitHub {
  readonly state = new GitHubState();
  readonly clock: Clock;
  readonly credentials: Credentials;
  readonly installation: InstallationRecord;
  readonly webhooks: WebhookSender;
  /** Branch protection and rulesets of each repository, enforced on pushes (`branch-rules.ts`). */
  readonly branchRules: BranchRules;
  /** Git over smart HTTP: requests, bytes, injected failures, link speed (`git-traffic.ts`). */
  readonly gitTraffic = new GitTraffic();
  /** Sign-in with GitHub: the web flow's pages and token endpoint (`oauth-web-flow.ts`). */
  readonly oauth: OAuthWebFlow;
  private readonly router: Router;
  private readonly context: RouteContext;
  /** Builds webhook payloads from the current state (also what `deliver` sends for API-made changes). */
  readonly payloads: WebhookPayloads;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly dispatchListeners: RunListener[] = [];
  private readonly cancelListeners: RunListener[] = [];
  private readonly scheduler = new RunScheduler({
    start: (run) => {
      for (const listener of this.dispatchListeners) listener(run);
    },
    drop: (run) => {
      this.track(this.completeRun(run, "cancelled"));
    },
    cancel: (run) => this.cancelRun(run),
  });
  private server!: Server;
  /** GitHub Actions' OIDC provider (issuer `<url>/_services/token`): tokens for the runs it runs. */
  oidc!: ActionsOidc;
  /** API, web and git base URL, e.g. `http://127.0.0.1:40123` (Octokit's `baseUrl`, the runner's `GITHUB_SERVER_URL`). */
  url = "";

  private constructor(
    private readonly root: string,
    options: LocalGitHubOptions,
    /** Judges every ref a git push updates (forks, branch rules); tests may add rules of their own. */
    readonly pushGate: PushGate,
    manifest: AppManifest,
  ) {
    this.clock = options.clock ?? new Clock();
    this.credentials = new Credentials(this.clock, options.app);
    const account = this.state.user(options.owner ?? "acme", "Organization");
    this.installation = {
      id: this.state.id(),
      appId: this.credentials.app.id,
      appSlug: this.credentials.app.slug,
      account,
      createdAt: now(),
      permissions: manifest.permissions,
      events: manifest.events,
    };
    // The App's bot is a user of its own from the moment the App exists (`GET /users/<slug>[bot]`).
    this.state.user(this.credentials.botLogin, "Bot");
    this.webhooks = new WebhookSender(this.credentials.app.webhookSecret, this.credentials.app.id);
    this.oauth = new OAuthWebFlow(this.credentials, this.state);
    const ctx: RouteContext = {
      state: this.state,
      urls: { api: "", html: "" },
      credentials: this.credentials,
      installation: this.installation,
      clock: this.clock,
      emit: (event) => this.onEvent(event),
    };
    this.context = ctx;
    this.router = new Router(ctx, new RateLimits(this.clock, options.limits));
    registerRoutes(this.router, ctx);
    this.payloads = new WebhookPayloads(ctx);
    this.branchRules = new BranchRules(ctx);
    pushGate.addRule(forkPushRule(ctx));
    pushGate.addRule(workflowsPushRule());
    pushGate.addRule(this.branchRules.pushRule());
  }

  static async start(options: LocalGitHubOptions = {}): Promise<LocalGitHub> {
    const manifest = await loadManifest(options.manifest);
    const root = await mkdtemp(join(tmpdir(), "local-github-"));
    const github = new LocalGitHub(root, options, await PushGate.start(root), manifest);
    github.oidc = await ActionsOidc.create(github.clock, () => github.url);
    const { server, url } = await listen((request, response, body) => github.handle(request, response, body));
    github.server = server;
    github.url = url;
    github.context.urls.api = url;
    github.context.urls.html = url;
    return github;
  }

  get app(): TestApp {
    return this.credentials.app;
  }

  get owner(): string {
    return this.installation.account.login;
  }

  /** Where webhooks go (the App's webhook URL); undefined stops delivering. */
  connectApp(webhookUrl: string | undefined): void {
    this.webhooks.setTarget(webhookUrl);
  }

  // ---- seeding ---------------------------------------------------------------------------

  async createRepo(
    name: string,
    files: RepoFiles,
    options: { defaultBranch?: string } = {},
  ): Promise<RepoRecord> {
    const defaultBranch = options.defaultBranch ?? "main";
    const repo: RepoRecord = {
      id: this.state.id(),
      owner: this.installation.account,
      name,
      defaultBranch,
      gitDir: join(this.root, this.owner, `${name}.git`),
      collaborators: new Map(),
      labels: new Map(),
      nextNumber: 1,
      createdAt: now(),
    };
    await createBareRepo(repo.gitDir, defaultBranch);
    await commitFiles(repo.gitDir, defaultBranch, files, "Initial commit");
    this.state.addRepo(repo);
    return repo;
  }

  /** A commit on a branch (a new branch starts at the default branch), as if someone pushed it; no push is recorded. */
  async commit(repo: RepoRecord, branch: string, files: RepoFiles, message: string): Promise<string> {
    const sha = await commitFiles(repo.gitDir, branch, files, message, repo.defaultBranch);
    await syncPullRefs(this.context, repo);
    return sha;
  }

  /** `login` forks `base` (a user's fork unless `type` says Organization); its branches start as the base's. */
  async fork(base: RepoRecord, login: string, type: "User" | "Organization" = "User"): Promise<RepoRecord> {
    const fork = await createFork(this.root, base, this.state.user(login, type), this.state.id());
    this.state.addRepo(fork);
    return fork;
  }

  /** Registers a self-hosted runner to `repo` (`self-hosted`, `Linux`, `X64` plus the given labels). */
  addRunner(
    repo: RepoRecord,
    runner: { name: string; labels: string[]; status: "online" | "offline" },
  ): void {
    repo.runners = [
      ...(repo.runners ?? []),
      {
        id: this.state.id(),
        busy: false,
        ...runner,
        labels: ["self-hosted", "Linux", "X64", ...runner.labels],
      },
    ];
  }

  addCollaborator(repo: RepoRecord, login: string, role: Role): void {
    this.state.user(login);
    repo.collaborators.set(login, role);
  }

  openIssue(repo: RepoRecord, fields: { title: string; body?: string; user: string }): IssueRecord {
    return this.state.createIssue(repo, {
      title: fields.title,
      body: fields.body ?? null,
      user: this.state.user(fields.user),
    });
  }

  /** A person opens an issue: state changes and `issues.opened` is delivered (awaited). */
  async userOpensIssue(
    repo: RepoRecord,
    fields: { title: string; body?: string; user: string },
  ): Promise<Delivery> {
    return this.webhooks.deliver("issues", this.payloads.issuesOpened(this.openIssue(repo, fields)));
  }

  /** A person adds a label: state changes and `issues.labeled` is delivered (awaited). */
  async labelIssue(issue: IssueRecord, label: string, by: string): Promise<Delivery> {
    const record = this.state.addLabel(issue, label);
    return this.webhooks.deliver("issues", this.payloads.issuesLabeled(issue, record, this.state.user(by)));
  }

  /** A person comments: state changes and `issue_comment.created` is delivered (awaited). */
  async userComment(issue: IssueRecord, by: string, body: string): Promise<Delivery> {
    const comment = this.state.createComment(issue, body, this.state.user(by));
    return this.webhooks.deliver("issue_comment", this.payloads.issueCommentCreated(comment));
  }

  /** A person merges a pull request: a real merge commit on the base, then `pull_request.closed` (awaited). */
  async mergePull(pull: PullIssue, by: string): Promise<Delivery> {
    await mergePull(this.context, pull, this.state.user(by));
    return this.webhooks.deliver(
      "pull_request",
      await this.payloads.pullRequestClosed(pull, this.state.user(by)),
    );
  }

  /**
   * A person marks a draft pull request ready for review (the web UI's button or GraphQL
   * `markPullRequestReadyForReview`; REST cannot): it stops being a draft and
   * `pull_request.ready_for_review` is delivered (awaited).
   * https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request
   */
  async markReadyForReview(pull: PullIssue, by: string): Promise<Delivery> {
    if (!pull.pull.draft)
      throw new Error(`#${pull.number} is not a draft; GitHub offers "Ready for review" on drafts only`);
    pull.pull.draft = false;
    pull.updatedAt = now();
    return this.webhooks.deliver(
      "pull_request",
      await this.payloads.pullRequestReadyForReview(pull, this.state.user(by)),
    );
  }

  /**
   * A CI App (not this App) finishes a check run on a commit: `check_run.completed` goes to this App
   * when its manifest subscribes to `check_run` (GitHub delivers an event only to Apps subscribed to
   * it, which needs Checks: read: https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_run).
   * Returns undefined when nothing is delivered.
   */
  async reportCheckRun(repo: RepoRecord, check: CheckRunReport): Promise<Delivery | undefined> {
    if (!this.installation.events.includes("check_run") || !this.installation.permissions.checks)
      return undefined;
    const ci = this.state.user(`${check.appSlug}[bot]`);
    return this.webhooks.deliver("check_run", await this.payloads.checkRunCompleted(repo, check, ci));
  }

  /** GitHub's scheduler firing one of the workflow's `on.schedule` crons (`scheduled-run.ts`). */
  async fireSchedule(repo: RepoRecord, file: string, by: string, cron?: string): Promise<RunRecord> {
    const run = await scheduledRun(this.context, repo, file, by, cron);
    this.state.runs.push(run);
    this.onEvent({ name: "workflow_dispatch", run });
    return run;
  }

  /**
   * GitHub starting a pull request's `on: pull_request` workflow (`pull-request-run.ts`): a CI run,
   * not the App's, so no attached runner picks it up; it stays queued until the test ends it with
   * `completeRun`.
   */
  async pullRequestRun(pull: PullIssue, file: string): Promise<RunRecord> {
    const run = await pullRequestRun(this.context, pull, file);
    this.state.runs.push(run);
    return run;
  }

  /** Delivers an event again with the same delivery id, as GitHub's "Redeliver" button does. */
  redeliver(delivery: Delivery): Promise<Delivery> {
    return this.webhooks.deliver(delivery.event, delivery.payload, delivery.id);
  }

  /** A token as the App would mint it (all the installation's permissions unless `request` narrows them). */
  installationToken(request: TokenRequest = {}): string {
    return mintInstallationToken(this.context, request).token;
  }

  /**
   * An installation token whose text the test chose: a canary the security tests plant in the
   * runner's environment and then search for in everything that left the run.
   */
  canaryInstallationToken(text: string, request: TokenRequest = {}): string {
    if (!/^ghs_[A-Za-z0-9_-]{20,}$/.test(text)) throw new Error(`${text}: an installation token starts ghs_`);
    return mintInstallationToken(this.context, request, text).token;
  }

  userToken(login: string): string {
    this.state.user(login);
    return this.credentials.issueUserToken(login);
  }

  // ---- what a test asserts -----------------------------------------------------------------

  /** Inject a fault on a route: `github.faults.inject({ route, status: 502, when: "after" })`. */
  get faults() {
    return this.router.faults;
  }

  /** Primary and secondary rate limits; `configure` lowers them for a test. */
  get rateLimits(): RateLimits {
    return this.router.limits;
  }

  /** What the installation (default: the App's) has spent: requests, writes, refusals, by route. */
  usage(installationId = this.installation.id) {
    return this.router.limits.usage(`installation:${installationId}`);
  }

  violations(): Violation[] {
    return [...this.router.violations];
  }

  requests(): RecordedRequest[] {
    return [...this.router.requests];
  }

  deliveries(): Delivery[] {
    return [...this.webhooks.deliveries];
  }

  pushes(): PushRecord[] {
    return [...this.state.pushes];
  }

  commentsOn(issue: IssueRecord) {
    return this.state.comments.filter((comment) => comment.issue === issue);
  }

  pulls(repo: RepoRecord): PullIssue[] {
    return this.state.issues.filter(
      (issue): issue is PullIssue => issue.repo === repo && issue.pull !== undefined,
    );
  }

  reviewsOn(pull: IssueRecord) {
    return {
      reviews: this.state.reviews.filter((review) => review.pull === pull),
      comments: this.state.reviewComments.filter((comment) => comment.pull === pull),
    };
  }

  /** Branch name → sha, read from the bare repository. */
  async branches(repo: RepoRecord): Promise<Map<string, string>> {
    const branches = new Map<string, string>();
    for (const [ref, sha] of await listRefs(repo.gitDir)) {
      if (ref.startsWith("refs/heads/")) branches.set(ref.slice("refs/heads/".length), sha);
    }
    return branches;
  }

  /** A file's text on a branch (or at a sha), or undefined when it is not there. */
  async readFile(repo: RepoRecord, ref: string, path: string): Promise<string | undefined> {
    const commit = await resolveBranchOrSha(repo.gitDir, ref);
    const found = commit ? await readPath(repo.gitDir, commit, path) : undefined;
    return found?.kind === "file" ? found.content.toString("utf8") : undefined;
  }

  /** Resolves once every webhook delivery and workflow run already started has finished, including ones they start. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Webhook deliveries or workflow runs still in flight. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Keeps `idle()` waiting until `work` settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    const done = () => this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  // ---- workflow runs (driven by a test runner) ------------------------------------------------

  onDispatch(listener: RunListener): void {
    this.dispatchListeners.push(listener);
  }

  onCancel(listener: RunListener): void {
    this.cancelListeners.push(listener);
  }

  startRun(run: RunRecord, runnerName: string): void {
    run.status = "in_progress";
    run.statusHistory.push(run.status);
    run.runnerName = runnerName;
    run.runStartedAt = now();
    run.updatedAt = run.runStartedAt;
  }

  /** Completes the run and tells the App with `workflow_run.completed` (awaited). */
  async completeRun(run: RunRecord, conclusion: NonNullable<RunRecord["conclusion"]>): Promise<Delivery> {
    run.status = "completed";
    run.statusHistory.push(run.status);
    run.conclusion = conclusion;
    run.updatedAt = now();
    this.scheduler.finished(run);
    return this.webhooks.deliver("workflow_run", this.payloads.workflowRunCompleted(run));
  }

  async close(): Promise<void> {
    await this.idle();
    await close(this.server);
    await this.pushGate.close();
    await rm(this.root, { recursive: true, force: true });
  }

  // ---- internals -----------------------------------------------------------------------------

  private onEvent(event: GitHubEvent): void {
    switch (event.name) {
      case "workflow_dispatch":
        this.scheduler.submit(event.run);
        return;
      case "workflow_run.cancel":
        this.cancelRun(event.run);
        return;
      default:
        if (this.webhooks.connected) this.track(this.deliverEvent(event));
    }
  }

  /** A run waiting for its concurrency group, or with no runner to stop, just completes as cancelled. */
  private cancelRun(run: RunRecord): void {
    if (this.scheduler.isWaiting(run) || this.cancelListeners.length === 0) {
      this.scheduler.withdraw(run);
      this.track(this.completeRun(run, "cancelled"));
      return;
    }
    for (const listener of this.cancelListeners) listener(run);
  }

  private deliverEvent(event: GitHubEvent): Promise<void> {
    return deliverEventWebhook(event, this.webhooks, this.payloads);
  }

  private handle(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    const endpoints = {
      baseUrl: this.url,
      ctx: this.context,
      root: this.root,
      pushGate: this.pushGate,
      gitTraffic: this.gitTraffic,
      router: this.router,
      branchRules: this.branchRules,
      oidc: this.oidc,
      oauth: this.oauth,
    };
    return serveRequest(endpoints, request, response, body);
  }
}
