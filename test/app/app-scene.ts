/**
 * The whole App on the local GitHub, for the App's handler tests. A test file starts one local
 * GitHub and one App (`appOnLocalGitHub`, at describe level) and each test makes a repository of
 * its own on it (`scene`), so tests share the servers but no state. Everything is real: Probot over
 * HTTP, the App's JWT and installation token, signed webhooks, and GitHub's rules for every request
 * the App makes (test/e2e/local-github, docs/github-rules.md). Tests assert on what GitHub then
 * holds (comments, reactions, runs) and on the requests it recorded, never on a scripted answer.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { parseStatusMarker, renderStatusComment, type StatusMarker } from "../../core/status-marker.ts";
import { parseTask, type Task } from "../../core/task.ts";
import { type AppUnderTest, type StartAppOptions, startApp } from "../e2e/helpers/app-under-test.ts";
import { agentWorkflow } from "../e2e/helpers/whole-system.ts";
import { LocalGitHub, type LocalGitHubOptions } from "../e2e/local-github/local-github.ts";
import type { RecordedRequest } from "../e2e/local-github/router.ts";
import type {
  CommentRecord,
  IssueRecord,
  RepoRecord,
  Role,
  RunRecord,
  UserRecord,
} from "../e2e/local-github/state.ts";
import type { Delivery } from "../e2e/local-github/webhook-sender.ts";

/** The organisation the App is installed on; every scene's repository is under it. */
export const OWNER = "acme";
/** The person who triggers tasks in a scene (a collaborator with `write` unless the scene says otherwise). */
export const ALICE = "alice";

/** GitHub's routes (as Octokit's route list names them) that the App's tests look for in `appRequests`. */
export const ROUTE = {
  readFile: "GET /repos/{owner}/{repo}/contents/{path}",
  readPermission: "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  listComments: "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
  createComment: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
  getComment: "GET /repos/{owner}/{repo}/issues/comments/{comment_id}",
  editComment: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  dispatch: "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
  cancelRun: "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel",
} as const;

/**
 * A status comment as the App renders it, for an earlier delivery: a queued fix-issue task of alice's
 * on thread `number` unless `marker` says otherwise. For seeding a thread with `scene.appWrote`.
 */
export function statusBody(number: number, marker: Partial<StatusMarker> = {}): string {
  return renderStatusComment(
    {
      v: 1,
      task: { kind: "fix-issue", number },
      delivery: "earlier-delivery",
      actor: ALICE,
      state: "queued",
      ...marker,
    },
    "status text",
  );
}

/**
 * A CI workflow anyone who may dispatch it can title: its run-name is the `title` input, so a run of
 * it can carry our run-name tag (`.github/workflows/ci.yml` in a scene's `files`).
 */
export const TITLED_CI_WORKFLOW = `name: ci
run-name: \${{ inputs.title }}
on:
  workflow_dispatch:
    inputs:
      title:
        required: true
        type: string
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`;

export interface AppOnLocalGitHub {
  readonly github: LocalGitHub;
  readonly app: AppUnderTest;
  /** A repository of this test's own, with the agent workflow, `.github/agent.yml` when given and alice as a collaborator. */
  scene(options?: SceneOptions): Promise<Scene>;
}

export interface SceneOptions {
  /** `.github/agent.yml` on the default branch (none: the defaults). */
  config?: string;
  /** alice's role on the repository; null: not a collaborator (default `write`). */
  role?: Role | null;
  /** `.github/workflows/agent.yml` (default: the project's own); null: no workflow file. */
  workflow?: string | null;
  /** More files on the default branch. */
  files?: Record<string, string>;
}

/**
 * One local GitHub and one App for the test file (started in `beforeAll`, closed in `afterAll`).
 * `app` options are the App's (`checkBudget`, `defaultRunnerRepo`, `now`, the Octokit, `history`: the
 * run history, off unless asked for); `github` the
 * local GitHub's (its manifest: the permissions the installation has).
 */
export function appOnLocalGitHub(
  options: { app?: StartAppOptions; github?: Omit<LocalGitHubOptions, "owner"> } = {},
): AppOnLocalGitHub {
  let github: LocalGitHub | undefined;
  let app: AppUnderTest | undefined;
  let repos = 0;
  beforeAll(async () => {
    github = await LocalGitHub.start({ owner: OWNER, ...options.github });
    // No run history unless a test asks for it: the handlers do not need it, and PGlite's start is
    // most of an App's start-up on a loaded machine.
    app = await startApp(github, { history: false, ...options.app });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await github?.close();
  });
  const running = () => {
    if (!github || !app) throw new Error("appOnLocalGitHub: call it at describe level (beforeAll starts it)");
    return { github, app };
  };
  return {
    get github() {
      return running().github;
    },
    get app() {
      return running().app;
    },
    async scene(sceneOptions = {}) {
      const { github, app } = running();
      repos += 1;
      return createScene(github, app, `widget-${repos}`, sceneOptions);
    },
  };
}

export interface Scene {
  github: LocalGitHub;
  app: AppUnderTest;
  repo: RepoRecord;
  /** An issue opened by `user` (default alice). */
  openIssue(fields?: { title?: string; body?: string; user?: string }): IssueRecord;
  /** A label added by `by` (default alice), delivered, and everything it started finished. */
  label(issue: IssueRecord, options?: { label?: string; by?: string }): Promise<Delivery>;
  /** A comment by `by` (default alice), delivered, and everything it started finished. */
  comment(issue: IssueRecord, body: string, by?: string): Promise<Delivery>;
  /** A comment the App wrote earlier (an earlier status comment, a refusal), not delivered. */
  appWrote(issue: IssueRecord, body: string): CommentRecord;
  /** The App's comments on the thread, oldest first. */
  appComments(issue: IssueRecord): CommentRecord[];
  /** The workflow runs in `repo` (default the scene's), oldest first. */
  runs(repo?: RepoRecord): RunRecord[];
  /** The tasks dispatched to `repo` (default the scene's), as the runs' `task` input carries them; an invalid one fails the test. */
  dispatchedTasks(repo?: RepoRecord): Task[];
  /** The App's status comments on the thread with their markers, oldest first. */
  statuses(issue: IssueRecord): Array<{ comment: CommentRecord; marker: StatusMarker }>;
  /** The requests the App made to GitHub for this repository, from `since` (a `mark()`), as GitHub's route (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`). */
  appRequests(since?: number): string[];
  /** The writes among them (everything but GET). */
  appWrites(since?: number): string[];
  /** A point in the request log for `appRequests(since)`. */
  mark(): number;
  /** Waits until GitHub and the App are idle; fails the test on a handler error or a GitHub rule the App broke. */
  settle(): Promise<void>;
}

async function createScene(
  github: LocalGitHub,
  app: AppUnderTest,
  name: string,
  options: SceneOptions,
): Promise<Scene> {
  const files: Record<string, string> = { "README.md": `# ${name}\n`, ...options.files };
  const workflow = options.workflow === undefined ? await agentWorkflow() : options.workflow;
  if (workflow !== null) files[".github/workflows/agent.yml"] = workflow;
  if (options.config !== undefined) files[".github/agent.yml"] = options.config;
  const repo = await github.createRepo(name, files);
  const role = options.role === undefined ? "write" : options.role;
  if (role !== null) github.addCollaborator(repo, ALICE, role);
  const bot = github.state.user(`${github.app.slug}[bot]`, "Bot");
  const ours = (request: RecordedRequest) =>
    request.caller?.kind === "installation" && request.path.startsWith(`/repos/${OWNER}/${name}/`);
  const violationsBefore = github.violations().length;
  const settle = async () => {
    do {
      await github.idle();
      await app.idle();
    } while (github.busy || app.busy);
    expect(app.errors.splice(0)).toEqual([]);
    expect(github.violations().slice(violationsBefore)).toEqual([]);
  };
  const byApp = (issue: IssueRecord) =>
    github.commentsOn(issue).filter((comment) => comment.viaApp && comment.user === bot);
  const runs = (inRepo = repo) => github.state.runs.filter((run) => run.repo === inRepo);
  const requests = (since = 0) =>
    github
      .requests()
      .slice(since)
      .filter(ours)
      .map((request) => request.route ?? `${request.method} ${request.path}`);
  return {
    github,
    app,
    repo,
    openIssue: (fields = {}) =>
      github.openIssue(repo, {
        ...fields,
        title: fields.title ?? "sum subtracts",
        user: fields.user ?? ALICE,
      }),
    async label(issue, { label = "agent", by = ALICE } = {}) {
      const delivery = await github.labelIssue(issue, label, by);
      await settle();
      return delivery;
    },
    async comment(issue, body, by = ALICE) {
      const delivery = await github.userComment(issue, by, body);
      await settle();
      return delivery;
    },
    appWrote: (issue, body) => github.state.createComment(issue, body, bot as UserRecord, true),
    appComments: byApp,
    runs,
    dispatchedTasks: (inRepo) =>
      runs(inRepo).map((run) => {
        const parsed = parseTask(run.inputs.task ?? "");
        if (!parsed.ok) throw new Error(`the dispatched task is not valid: ${JSON.stringify(parsed.errors)}`);
        return parsed.value;
      }),
    statuses: (issue) =>
      byApp(issue).flatMap((comment) => {
        const marker = parseStatusMarker(comment.body);
        return marker ? [{ comment, marker }] : [];
      }),
    appRequests: requests,
    appWrites: (since) => requests(since).filter((request) => !request.startsWith("GET ")),
    mark: () => github.requests().length,
    settle,
  };
}
