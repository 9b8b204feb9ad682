/**
 * How the App starts the agent workflow and what it writes when GitHub refuses, on the local GitHub:
 * the workflow's real dispatch route (it reads the workflow file, checks the inputs, queues a run
 * whose run-name carries the task's tag), the status comment the App posts and edits, and the runs
 * list it reads when GitHub gives no run details.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  parseRunName,
  parseStatusMarker,
  renderRunName,
  type StatusMarker,
} from "../../core/status-marker.ts";
import { agentWorkflow } from "../e2e/helpers/whole-system.ts";
import type { LocalGitHub } from "../e2e/local-github/local-github.ts";
import type { IssueRecord, RepoRecord, RunRecord } from "../e2e/local-github/state.ts";
import { type AppOnLocalGitHub, appOnLocalGitHub, OWNER, ROUTE, type Scene } from "./app-scene.ts";

/**
 * The App's clock ahead of GitHub's, for the one case where the runs list must not show the run:
 * the App lists runs created since its own clock minus a minute, so two minutes ahead hides it.
 */
let appClockAheadMs = 0;
const local = appOnLocalGitHub({ app: { now: () => new Date(Date.now() + appClockAheadMs) } });
const onRunStarted = runListeners(local);

describe("dispatch failures become advice in the status comment", () => {
  it.each([
    [
      404,
      { workflow: null },
      "workflow-missing",
      (repo: string) => `The workflow \`.github/workflows/agent.yml\` was not found in \`${repo}\``,
    ],
    [
      422,
      // A workflow of another tool: it takes a `prompt`, not the App's `task`.
      { workflow: workflowWith({ input: "prompt" }) },
      "invalid-inputs",
      (repo: string) =>
        `GitHub rejected the dispatch of \`.github/workflows/agent.yml\` in \`${repo}\` (422: Unexpected inputs provided: ["task"])`,
    ],
  ] as const)("%i", async (_status, sceneOptions, problem, advice) => {
    const scene = await local.scene(sceneOptions);
    await expectDispatchFailureAdvice(scene, problem, advice(fullName(scene.repo)));
  });

  // Compare-before-write (core/status-state.ts): the failure is written only over the "queued" the
  // App wrote. GitHub started the run and then answered 502 (its frontend timed out after the
  // backend wrote), and by the time the App edits, the status says something else.
  it.each([
    ["a run that started after all", "running", false],
    ["a task stopped meanwhile", "cancelled", true],
  ] as const)("never overwrites %s; an outcome the comment lacks goes apart", async (_case, found, apart) => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    onRunStarted(scene.repo, () => rewriteStatusState(scene, issue, found));
    scene.github.faults.inject({ route: ROUTE.dispatch, when: "after", status: 502 });
    const failed = counter(() =>
      scene.app.metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatch-failed" }),
    );
    const since = scene.mark();
    await scene.label(issue);
    expect(scene.github.faults.fired).toContainEqual({ route: ROUTE.dispatch, when: "after", status: 502 });
    expect(onlyStatus(scene, issue).marker.state).toBe(found);
    expect(scene.appWrites(since)).not.toContain(ROUTE.editComment);
    const others = scene
      .appComments(issue)
      .filter((comment) => parseStatusMarker(comment.body) === undefined);
    if (apart) {
      expect(others).toHaveLength(1);
      expect(others[0]?.body).toContain(
        `Dispatching \`.github/workflows/agent.yml\` in \`${fullName(scene.repo)}\` failed (502`,
      );
    } else {
      expect(others).toEqual([]);
    }
    expect(failed()).toBe(1);
  });

  it("dispatches to the central runner repository on its default branch", async () => {
    const runners = await local.github.createRepo(
      `runners-${Date.now()}`,
      { ".github/workflows/inhouse.yml": await agentWorkflow() },
      { defaultBranch: "trunk" },
    );
    const scene = await local.scene({
      config: `dispatch:\n  repo: ${fullName(runners)}\n  workflow: inhouse.yml\n`,
    });
    const issue = scene.openIssue();
    let statusAtDispatch: StatusMarker | undefined;
    onRunStarted(runners, () => {
      statusAtDispatch = onlyStatus(scene, issue).marker;
    });
    await scene.label(issue);
    const [run] = runsOf(scene.github, runners);
    expect(run).toMatchObject({ workflowFile: "inhouse.yml", headBranch: "trunk" });
    expect(onlyStatus(scene, issue).marker.run).toEqual({
      id: run?.id,
      repo: fullName(runners),
      url: `${scene.github.url}/${fullName(runners)}/actions/runs/${run?.id}`,
    });
    // Recorded before the dispatch, so the action can confirm its runner repository at once.
    expect(statusAtDispatch?.runner).toBe(fullName(runners));
  });
});

describe("a dispatch the installation may not make", () => {
  // The manifest without `actions: write`: GitHub answers the dispatch 403 "Resource not accessible
  // by integration", as for an installation whose owner has not accepted the permission.
  const withoutActions = appOnLocalGitHub({ github: { manifest: { text: manifestWithout("actions") } } });

  it("403", async () => {
    const scene = await withoutActions.scene();
    await expectDispatchFailureAdvice(scene, "forbidden", "it needs the `actions: write` permission");
  });
});

describe("the App-wide default runner repository (INHOUSE_DEFAULT_RUNNER_REPO)", () => {
  const DEFAULT_RUNNERS = "agent-runners";
  const withDefault = appOnLocalGitHub({ app: { defaultRunnerRepo: `${OWNER}/${DEFAULT_RUNNERS}` } });
  const runnerRepos = new Map<string, RepoRecord>();
  beforeAll(async () => {
    for (const name of [DEFAULT_RUNNERS, "gpu-runners"]) {
      const files = { ".github/workflows/agent.yml": await agentWorkflow() };
      runnerRepos.set(name, await withDefault.github.createRepo(name, files, { defaultBranch: "trunk" }));
    }
  });

  /** The one run the dispatch queued in `runners`, on its default branch, tagged with the scene's status comment. */
  function expectRunIn(scene: Scene, issue: IssueRecord, runners: RepoRecord | undefined): void {
    if (!runners) throw new Error("the runner repository was not created");
    const status = onlyStatus(scene, issue);
    const run = runsOf(scene.github, runners).find(
      (candidate) =>
        candidate.displayTitle ===
        renderRunName({
          owner: OWNER,
          name: scene.repo.name,
          number: issue.number,
          statusCommentId: status.comment.id,
        }),
    );
    expect(run).toMatchObject({ headBranch: runners.defaultBranch });
    expect(status.marker.run).toMatchObject({ id: run?.id, repo: fullName(runners) });
  }

  it("a repository with no .github/agent.yml dispatches to the default runner repository", async () => {
    const scene = await withDefault.scene();
    const issue = scene.openIssue();
    await scene.label(issue);
    expect(onlyStatus(scene, issue).marker).toMatchObject({
      state: "queued",
      runner: `${OWNER}/${DEFAULT_RUNNERS}`,
    });
    expectRunIn(scene, issue, runnerRepos.get(DEFAULT_RUNNERS));
  });

  it("a repository's own dispatch.repo overrides the default", async () => {
    const scene = await withDefault.scene({ config: `dispatch:\n  repo: ${OWNER}/gpu-runners\n` });
    const issue = scene.openIssue();
    await scene.label(issue);
    expect(onlyStatus(scene, issue).marker.runner).toBe(`${OWNER}/gpu-runners`);
    expectRunIn(scene, issue, runnerRepos.get("gpu-runners"));
  });

  it("a repository naming itself keeps its own workflow, and its marker names no other runner", async () => {
    // The scene's repository is the next `widget-N`; its name is known only once created, so the
    // config naming it is committed afterwards.
    const scene = await withDefault.scene();
    await scene.github.commit(
      scene.repo,
      scene.repo.defaultBranch,
      { ".github/agent.yml": `dispatch:\n  repo: ${fullName(scene.repo)}\n` },
      "Run the agent here",
    );
    const issue = scene.openIssue();
    await scene.label(issue);
    expect(onlyStatus(scene, issue).marker.runner).toBeUndefined();
    expectRunIn(scene, issue, scene.repo);
    const named = (run: RunRecord) => parseRunName(run.displayTitle)?.name === scene.repo.name;
    expect(runsOf(scene.github, runnerRepos.get(DEFAULT_RUNNERS)).filter(named)).toEqual([]);
  });
});

describe("servers that answer 204 to a dispatch", () => {
  it("finds the run by its run-name tag among runs created since the dispatch", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    asAnOlderServer(scene.github);
    // The newest run belongs to another task (dispatched just after ours); ours is the one naming
    // our status comment.
    let other: RunRecord | undefined;
    onRunStarted(scene.repo, (ours) => {
      other = anotherTasksRunAfter(scene.github, ours);
    });
    await scene.label(issue);
    const [ours] = runsOf(scene.github, scene.repo).filter((run) => run !== other);
    expect(other).toBeDefined();
    expect(onlyStatus(scene, issue).marker).toMatchObject({ state: "queued", run: { id: ours?.id } });
  });

  it("takes the newest run when runs carry no tag", async () => {
    const scene = await local.scene({ workflow: workflowWith({ input: "task" }) });
    const issue = scene.openIssue();
    // An earlier run of the same workflow, started by hand just before: untagged like ours.
    const earlier = await dispatchAsUser(scene, "alice", { task: "{}" });
    asAnOlderServer(scene.github);
    await scene.label(issue);
    const runs = runsOf(scene.github, scene.repo);
    expect(runs).toHaveLength(2);
    const newest = runs.at(-1);
    expect(newest?.id).not.toBe(earlier.id);
    expect(onlyStatus(scene, issue).marker.run?.id).toBe(newest?.id);
  });

  it("leaves the status queued without a run link when no run is found", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    asAnOlderServer(scene.github);
    const dispatched = counter(() =>
      scene.app.metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatched" }),
    );
    appClockAheadMs = 120_000;
    try {
      await scene.label(issue);
    } finally {
      appClockAheadMs = 0;
    }
    // The run exists, but not in the list of runs since the App's clock minus its slack.
    expect(runsOf(scene.github, scene.repo)).toHaveLength(1);
    expect(scene.appRequests()).toContain("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs");
    const status = onlyStatus(scene, issue);
    expect(status.marker.state).toBe("queued");
    expect(status.marker.run).toBeUndefined();
    expect(scene.appWrites()).not.toContain(ROUTE.editComment);
    expect(dispatched()).toBe(1);
  });

  it("retries without return_run_details when an older server rejects the parameter", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    asAnOlderServer(scene.github);
    await scene.label(issue);
    const dispatches = dispatchBodies(scene.github, scene.repo);
    expect(dispatches).toHaveLength(2);
    expect(dispatches[0]).toMatchObject({ return_run_details: true });
    expect(dispatches[1]).not.toHaveProperty("return_run_details");
    expect(dispatches[1]).toMatchObject({ inputs: { task: expect.any(String) } });
    const [run] = runsOf(scene.github, scene.repo);
    expect(onlyStatus(scene, issue).marker).toMatchObject({ state: "queued", run: { id: run?.id } });
  });

  it("does not overwrite a status the runner already moved on", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    // The runner picks the run up and writes "running" before the App links the run.
    onRunStarted(scene.repo, () => rewriteStatusState(scene, issue, "running"));
    const since = scene.mark();
    await scene.label(issue);
    expect(onlyStatus(scene, issue).marker.state).toBe("running");
    expect(scene.appWrites(since)).toEqual([
      "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions",
      ROUTE.createComment,
      ROUTE.dispatch,
    ]);
  });
});

/** Labels an issue whose dispatch GitHub refuses; the status comment fails with `advice` and the retry. */
async function expectDispatchFailureAdvice(scene: Scene, problem: string, advice: string): Promise<void> {
  const issue = scene.openIssue();
  const refused = counter(() => scene.app.metrics.dispatches.get({ kind: "fix-issue", result: problem }));
  const failed = counter(() =>
    scene.app.metrics.deliveries.get({ event: "issues.labeled", outcome: "dispatch-failed" }),
  );
  await scene.label(issue);
  const status = onlyStatus(scene, issue);
  expect(status.marker.state).toBe("failed");
  expect(status.comment.body).toContain(advice);
  expect(status.comment.body).toContain("retry with `/agent fix`");
  expect(scene.appWrites()).toContain(ROUTE.dispatch);
  expect(runsOf(scene.github, scene.repo)).toEqual([]);
  expect(refused()).toBe(1);
  expect(failed()).toBe(1);
}

/**
 * A GitHub that predates run details (GitHub Enterprise Server before `return_run_details`): it
 * refuses the unknown key with the REST API's own words, once, and then answers the App's retry 204.
 */
function asAnOlderServer(github: LocalGitHub): void {
  github.faults.inject({
    route: ROUTE.dispatch,
    when: "before",
    status: 422,
    message: 'Invalid request.\n\n"return_run_details" is not a permitted key.',
  });
}

/**
 * One listener on the local GitHub's run starts, handing each run to what the test registered for
 * its repository. It runs inside the dispatch request, before GitHub answers: the moment a runner or
 * another task acts in the real race.
 */
function runListeners(app: AppOnLocalGitHub): (repo: RepoRecord, listener: (run: RunRecord) => void) => void {
  const byRepo = new Map<RepoRecord, (run: RunRecord) => void>();
  beforeAll(() => app.github.onDispatch((run) => byRepo.get(run.repo)?.(run)));
  return (repo, listener) => byRepo.set(repo, listener);
}

/** The status comment edited as the runner (or a stop) edits it: the marker's state replaced. */
function rewriteStatusState(scene: Scene, issue: IssueRecord, state: StatusMarker["state"]): void {
  const { comment } = onlyStatus(scene, issue);
  comment.body = comment.body.replace('"state":"queued"', `"state":"${state}"`);
  expect(parseStatusMarker(comment.body)?.state).toBe(state);
}

/** Another task's run of the same workflow, created a second after `ours`, as GitHub records a dispatch. */
function anotherTasksRunAfter(github: LocalGitHub, ours: RunRecord): RunRecord {
  const tag = parseRunName(ours.displayTitle);
  if (!tag) throw new Error(`the run's name carries no tag: ${ours.displayTitle}`);
  const createdAt = new Date(Date.parse(ours.createdAt) + 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const other: RunRecord = {
    ...ours,
    id: github.state.id(),
    displayTitle: renderRunName({
      ...tag,
      number: (tag.number ?? 0) + 1,
      statusCommentId: tag.statusCommentId + 1,
    }),
    createdAt,
    updatedAt: createdAt,
    statusHistory: ["queued"],
  };
  delete other.concurrency;
  github.state.runs.push(other);
  return other;
}

/** A dispatch of the scene's workflow by a person (their own token, not the App's). */
async function dispatchAsUser(
  scene: Scene,
  login: string,
  inputs: Record<string, string>,
): Promise<RunRecord> {
  const { github, repo } = scene;
  const response = await fetch(
    `${github.url}/repos/${fullName(repo)}/actions/workflows/agent.yml/dispatches`,
    {
      method: "POST",
      headers: { authorization: `token ${github.userToken(login)}`, "content-type": "application/json" },
      body: JSON.stringify({ ref: repo.defaultBranch, inputs }),
    },
  );
  expect(response.status).toBe(204);
  const run = runsOf(github, repo).at(-1);
  if (!run) throw new Error("the dispatch queued no run");
  return run;
}

/** The bodies of the App's dispatch requests for `repo`, in order. */
function dispatchBodies(github: LocalGitHub, repo: RepoRecord): unknown[] {
  return github
    .requests()
    .filter((request) => request.caller?.kind === "installation" && request.route === ROUTE.dispatch)
    .filter((request) => request.path.startsWith(`/repos/${fullName(repo)}/`))
    .map((request) => request.body);
}

function runsOf(github: LocalGitHub, repo: RepoRecord | undefined): RunRecord[] {
  return github.state.runs.filter((run) => run.repo === repo);
}

/** The issue's one status comment (a task posts exactly one). */
function onlyStatus(scene: Scene, issue: IssueRecord) {
  const statuses = scene.statuses(issue);
  expect(statuses).toHaveLength(1);
  const [status] = statuses;
  if (!status) throw new Error("no status comment");
  return status;
}

/** How much a metric grew since this call: the App and its metrics are shared by the file's tests. */
function counter(read: () => number): () => number {
  const before = read();
  return () => read() - before;
}

/** A workflow_dispatch workflow taking one string input, with no run-name (so its runs carry no tag). */
function workflowWith({ input }: { input: string }): string {
  return [
    "name: agent",
    "on:",
    "  workflow_dispatch:",
    "    inputs:",
    `      ${input}:`,
    "        required: true",
    "        type: string",
    "jobs:",
    "  agent:",
    "    runs-on: [self-hosted, agent]",
    "    steps:",
    "      - run: echo agent",
    "",
  ].join("\n");
}

/** The project's App manifest without one permission. */
function manifestWithout(permission: string): string {
  const manifest = readFileSync(join(import.meta.dirname, "../../app.yml"), "utf8");
  const line = new RegExp(`^  ${permission}: .*\\n`, "m");
  if (!line.test(manifest)) throw new Error(`app.yml has no ${permission} permission`);
  return manifest.replace(line, "");
}

function fullName(repo: RepoRecord): string {
  return `${repo.owner.login}/${repo.name}`;
}
