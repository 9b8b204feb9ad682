/**
 * The status comment's lifecycle on the local GitHub: the App dispatches a real run, the test plays
 * the runner (`startRun`, `completeRun`, the action's edits of the status comment) and GitHub sends
 * the real `workflow_run.completed`; `/agent stop` cancels through GitHub's cancel API. Every case
 * asserts on what GitHub then holds and on the requests the App made.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { renderRunName, renderStatusComment, type StatusState } from "../../core/status-marker.ts";
import { parseTask } from "../../core/task.ts";
import { octokitFor } from "../e2e/helpers/octokit.ts";
import { agentWorkflow } from "../e2e/helpers/whole-system.ts";
import type { PullIssue } from "../e2e/local-github/shapes/pull.ts";
import { type IssueRecord, now, type RepoRecord, type RunRecord } from "../e2e/local-github/state.ts";
import { ALICE, appOnLocalGitHub, OWNER, ROUTE, type Scene, TITLED_CI_WORKFLOW } from "./app-scene.ts";

const local = appOnLocalGitHub();
/** Not a collaborator: someone with a fork. */
const MALLORY = "mallory";

/**
 * The runner's side of a cancel: GitHub asks the runner to stop the job, and the run ends as
 * cancelled once it has; the test completes it when the case needs it. Without a listener the
 * local GitHub would complete it at once, racing the App's own end of the status.
 */
const cancelAsked: RunRecord[] = [];
beforeAll(() => local.github.onCancel((run) => cancelAsked.push(run)));

/** A task the App started on a new issue: the issue and the run it dispatched (in `runnerRepo`). */
async function startedTask(scene: Scene, runnerRepo: RepoRecord = scene.repo) {
  const issue = scene.openIssue();
  await scene.label(issue);
  const run = runsIn(scene, runnerRepo).at(-1);
  if (!run) throw new Error(`the App dispatched no run in ${runnerRepo.name}`);
  return { issue, run };
}

function runsIn(scene: Scene, repo: RepoRecord): RunRecord[] {
  return scene.github.state.runs.filter((run) => run.repo === repo);
}

function onlyStatus(scene: Scene, issue: IssueRecord) {
  const statuses = scene.statuses(issue);
  expect(statuses).toHaveLength(1);
  return statuses[0]!;
}

/** The action edits the status comment (it marks the task running, then writes its result). */
function actionWrites(scene: Scene, issue: IssueRecord, state: StatusState): void {
  const { comment, marker } = onlyStatus(scene, issue);
  comment.body = renderStatusComment({ ...marker, state }, `The action's ${state} text.`);
  comment.updatedAt = now();
}

/** A runner picked the run up and the action marked the task running. */
function runnerRuns(scene: Scene, issue: IssueRecord, run: RunRecord): void {
  scene.github.startRun(run, "runner-1");
  actionWrites(scene, issue, "running");
}

/** The run ends: GitHub sends `workflow_run.completed` and the App has handled it. */
async function runEnds(scene: Scene, run: RunRecord, conclusion: NonNullable<RunRecord["conclusion"]>) {
  await scene.github.completeRun(run, conclusion);
  await scene.settle();
}

/**
 * The run ends while the App does not hear of it (the delivery failed; GitHub does not redeliver
 * on its own): state only, the App's status still says running.
 */
async function runEndsUnheard(
  scene: Scene,
  run: RunRecord,
  conclusion: NonNullable<RunRecord["conclusion"]>,
) {
  scene.github.connectApp(undefined);
  try {
    await scene.github.completeRun(run, conclusion);
  } finally {
    scene.github.connectApp(`${scene.app.url}/api/github/webhooks`);
  }
}

/** How many more deliveries of `event` the App counts with `outcome` than when this was called. */
function countOf(scene: Scene, event: string, outcome: string): () => number {
  const count = () => scene.app.metrics.deliveries.get({ event, outcome });
  const before = count();
  return () => count() - before;
}

/** Every request an installation token made since `since`, in any repository. */
function installationRequests(scene: Scene, since: number): string[] {
  return scene.github
    .requests()
    .slice(since)
    .filter((request) => request.caller?.kind === "installation")
    .map((request) => `${request.method} ${request.path}`);
}

/** The App's requests to a repository other than the scene's (the central runner repository). */
function appRequestsTo(scene: Scene, repo: RepoRecord, since: number): string[] {
  return scene.github
    .requests()
    .slice(since)
    .filter(
      (request) =>
        request.caller?.kind === "installation" &&
        request.path.startsWith(`/repos/${repo.owner.login}/${repo.name}/`),
    )
    .map((request) => request.route ?? `${request.method} ${request.path}`);
}

let otherRepos = 0;

/** A repository of the organisation besides the scenes' own, with the agent workflow as `workflowFile`. */
async function otherRepo(kind: string, workflowFile = "agent.yml"): Promise<RepoRecord> {
  otherRepos += 1;
  return local.github.createRepo(`${kind}-${otherRepos}`, {
    "README.md": `# ${kind}\n`,
    [`.github/workflows/${workflowFile}`]: await agentWorkflow(),
  });
}

/** A scene whose `.github/agent.yml` dispatches to a central runner repository (`dispatch.repo`). */
async function sceneWithRunnerRepo(workflowFile?: string) {
  const runners = await otherRepo("runners", workflowFile);
  const lines = ["dispatch:", `  repo: ${OWNER}/${runners.name}`];
  if (workflowFile) lines.push(`  workflow: ${workflowFile}`);
  const scene = await local.scene({ config: `${lines.join("\n")}\n` });
  return { scene, runners };
}

/**
 * A person dispatches a workflow by hand with inputs of their choosing: runs whose run-name carries
 * our tag without the App behind them (issue #13).
 */
async function dispatchByHand(
  scene: Scene,
  repo: RepoRecord,
  file: string,
  inputs: Record<string, string>,
): Promise<RunRecord> {
  const before = runsIn(scene, repo).length;
  await octokitFor(scene.github, scene.github.userToken(ALICE)).request(
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    { owner: repo.owner.login, repo: repo.name, workflow_id: file, ref: repo.defaultBranch, inputs },
  );
  const run = runsIn(scene, repo)[before];
  if (!run) throw new Error(`no run of ${file} in ${repo.name}`);
  return run;
}

/** The App's task input with another status comment named in it (what a copied input carries). */
function taskNaming(run: RunRecord, statusCommentId: number): string {
  return JSON.stringify({ ...JSON.parse(run.inputs.task!), statusCommentId });
}

describe("workflow_run.completed", () => {
  it("ends a status the runner never finished with what GitHub knows and a retry hint", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    runnerRuns(scene, issue, run);
    const closed = countOf(scene, "workflow_run.completed", "closed");
    await runEnds(scene, run, "failure");
    const { comment, marker } = onlyStatus(scene, issue);
    expect(marker).toMatchObject({
      state: "failed",
      run: { id: run.id, url: `${scene.github.url}/${OWNER}/${scene.repo.name}/actions/runs/${run.id}` },
    });
    expect(comment.body).toContain(
      "ended with `failure` before the agent reported (the runner may have died",
    );
    expect(comment.body).toContain("Retry with `/agent fix` (or re-add the `agent` label)");
    expect(closed()).toBe(1);
  });

  it("marks a cancelled run cancelled", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    expect(onlyStatus(scene, issue).marker.state).toBe("queued");
    // Cancelled from the Actions tab before a runner picked it up.
    await runEnds(scene, run, "cancelled");
    expect(onlyStatus(scene, issue).marker.state).toBe("cancelled");
  });

  it("keeps the action's result when it lands between the App's read and its edit", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    runnerRuns(scene, issue, run);
    // The App reads "running"; right after GitHub answered, the action writes its result, which the
    // App's read before the edit finds.
    scene.github.faults.inject({
      route: ROUTE.getComment,
      when: "after",
      meanwhile: () => actionWrites(scene, issue, "succeeded"),
    });
    const ignored = countOf(scene, "workflow_run.completed", "ignored");
    const since = scene.mark();
    await runEnds(scene, run, "failure");
    expect(scene.github.faults.fired.at(-1)).toEqual({
      route: ROUTE.getComment,
      when: "after",
      status: "meanwhile",
    });
    expect(scene.appRequests(since)).toEqual([ROUTE.getComment, ROUTE.readFile, ROUTE.getComment]);
    expect(onlyStatus(scene, issue).marker.state).toBe("succeeded");
    expect(ignored()).toBe(1);
  });

  describe("leaves a status alone when it is", () => {
    it("already terminal", async () => {
      const scene = await local.scene();
      const { issue, run } = await startedTask(scene);
      runnerRuns(scene, issue, run);
      actionWrites(scene, issue, "succeeded");
      const ignored = countOf(scene, "workflow_run.completed", "ignored");
      const since = scene.mark();
      await runEnds(scene, run, "failure");
      expect(scene.appRequests(since)).toEqual([ROUTE.getComment, ROUTE.readFile]);
      expect(onlyStatus(scene, issue).marker.state).toBe("succeeded");
      expect(ignored()).toBe(1);
    });

    it("another run's status", async () => {
      const scene = await local.scene();
      const { issue, run } = await startedTask(scene);
      const { marker } = onlyStatus(scene, issue);
      // Someone dispatches the agent workflow with the App's task input: same run-name tag, but
      // the status records the App's run, not this one.
      const copy = await dispatchByHand(scene, scene.repo, "agent.yml", { task: run.inputs.task! });
      expect(copy.displayTitle).toBe(run.displayTitle);
      const ignored = countOf(scene, "workflow_run.completed", "ignored");
      const since = scene.mark();
      await runEnds(scene, copy, "failure");
      expect(scene.appRequests(since)).toEqual([ROUTE.getComment, ROUTE.readFile]);
      expect(onlyStatus(scene, issue).marker).toEqual(marker);
      expect(ignored()).toBe(1);
    });

    it("not written by the App", async () => {
      const scene = await local.scene();
      const { issue, run } = await startedTask(scene);
      // alice posts a copy of the status comment, and a run whose tag names her comment.
      const statusBody = onlyStatus(scene, issue).comment.body;
      const copied = scene.github.state.createComment(issue, statusBody, scene.github.state.user(ALICE));
      const theirs = await dispatchByHand(scene, scene.repo, "agent.yml", {
        task: taskNaming(run, copied.id),
      });
      const ignored = countOf(scene, "workflow_run.completed", "ignored");
      const since = scene.mark();
      await runEnds(scene, theirs, "failure");
      // Not the App's comment: nothing more is read, nothing written.
      expect(scene.appRequests(since)).toEqual([ROUTE.getComment]);
      expect(copied.body).toBe(statusBody);
      expect(onlyStatus(scene, issue).comment.body).toBe(statusBody);
      expect(ignored()).toBe(1);
    });
  });

  // Issue #13, item 3: a run that is not ours never changes our state, even when its title is our tag.
  it("ignores a fork's CI run whose title copies our run-name tag, without a single API call", async () => {
    const scene = await local.scene();
    const { issue } = await startedTask(scene);
    const tag = renderRunName({
      owner: OWNER,
      name: scene.repo.name,
      number: issue.number,
      statusCommentId: onlyStatus(scene, issue).comment.id,
    });
    // mallory's pull request brings a CI workflow whose run-name is our tag.
    const fork = await scene.github.fork(scene.repo, MALLORY);
    const ci = `name: ci\nrun-name: "${tag}"\non: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n`;
    await scene.github.commit(fork, "ci", { ".github/workflows/ci.yml": ci }, "CI");
    const { data } = await octokitFor(scene.github, scene.github.userToken(MALLORY)).rest.pulls.create({
      owner: OWNER,
      repo: scene.repo.name,
      title: "Add CI",
      head: `${MALLORY}:ci`,
      base: scene.repo.defaultBranch,
    });
    await scene.settle();
    const pull = scene.github.pulls(scene.repo).find((candidate) => candidate.number === data.number)!;
    const run = await scene.github.pullRequestRun(pull, "ci.yml");
    expect(run).toMatchObject({ event: "pull_request", displayTitle: tag });
    const ignored = countOf(scene, "workflow_run.completed", "ignored");
    const since = scene.mark();
    await runEnds(scene, run, "failure");
    expect(installationRequests(scene, since)).toEqual([]);
    expect(onlyStatus(scene, issue).marker.state).toBe("queued");
    expect(ignored()).toBe(1);
  });

  describe("leaves a queued status alone for", () => {
    /** A queued task, and a run elsewhere whose run-name carries its tag; the App must not end the status. */
    async function expectIgnored(scene: Scene, issue: IssueRecord, stranger: RunRecord) {
      const { marker } = onlyStatus(scene, issue);
      const ignored = countOf(scene, "workflow_run.completed", "ignored");
      const since = scene.mark();
      await runEnds(scene, stranger, "failure");
      expect(scene.appRequests(since)).toEqual([ROUTE.getComment, ROUTE.readFile]);
      expect(onlyStatus(scene, issue).marker).toEqual({ ...marker, state: "queued" });
      expect(ignored()).toBe(1);
    }

    it("another workflow of the repository", async () => {
      const scene = await local.scene({ files: { ".github/workflows/ci.yml": TITLED_CI_WORKFLOW } });
      const { issue, run } = await startedTask(scene);
      const ci = await dispatchByHand(scene, scene.repo, "ci.yml", { title: run.displayTitle });
      expect(ci.displayTitle).toBe(run.displayTitle);
      await expectIgnored(scene, issue, ci);
    });

    it("a run without a workflow path", async () => {
      const scene = await local.scene();
      const { issue, run } = await startedTask(scene);
      // GitHub names no workflow file for runs it generates itself (dynamic workflows); the local
      // GitHub's runs always have one, so this delivery is its own payload for the App's run, ended,
      // with the path emptied: the path is all that tells it from ours.
      const { marker } = onlyStatus(scene, issue);
      const payload = scene.github.payloads.workflowRunCompleted({
        ...run,
        status: "completed",
        conclusion: "failure",
      });
      (payload.workflow_run as { path: string }).path = "";
      const ignored = countOf(scene, "workflow_run.completed", "ignored");
      const since = scene.mark();
      await scene.github.webhooks.deliver("workflow_run", payload);
      await scene.settle();
      expect(scene.appRequests(since)).toEqual([ROUTE.getComment, ROUTE.readFile]);
      expect(onlyStatus(scene, issue).marker).toEqual(marker);
      expect(ignored()).toBe(1);
    });

    it("a run in another repository", async () => {
      const scene = await local.scene();
      const { issue, run } = await startedTask(scene);
      const elsewhere = await otherRepo("elsewhere");
      scene.github.addCollaborator(elsewhere, ALICE, "write");
      const theirs = await dispatchByHand(scene, elsewhere, "agent.yml", { task: run.inputs.task! });
      expect(theirs.displayTitle).toBe(run.displayTitle);
      await expectIgnored(scene, issue, theirs);
    });
  });

  it("takes a run of the configured workflow in the central runner repository (dispatch.repo)", async () => {
    const { scene, runners } = await sceneWithRunnerRepo("inhouse.yml");
    const { issue, run } = await startedTask(scene, runners);
    expect(runsIn(scene, scene.repo)).toEqual([]);
    await runEnds(scene, run, "failure");
    expect(onlyStatus(scene, issue).marker).toMatchObject({
      state: "failed",
      run: { id: run.id, repo: `${OWNER}/${runners.name}` },
    });
  });

  it("ignores runs that are not agent runs", async () => {
    const scene = await local.scene({ files: { ".github/workflows/ci.yml": TITLED_CI_WORKFLOW } });
    const ci = await dispatchByHand(scene, scene.repo, "ci.yml", { title: "Run the tests" });
    const ignored = countOf(scene, "workflow_run.completed", "ignored");
    const since = scene.mark();
    await runEnds(scene, ci, "success");
    expect(installationRequests(scene, since)).toEqual([]);
    expect(ignored()).toBe(1);
  });
});

describe("/agent stop", () => {
  it("cancels the running task's workflow run, ends its status and says so", async () => {
    const { scene, runners } = await sceneWithRunnerRepo();
    const { issue, run } = await startedTask(scene, runners);
    runnerRuns(scene, issue, run);
    const cancelled = countOf(scene, "issue_comment.created", "cancelled");
    const since = scene.mark();
    await scene.comment(issue, "/agent stop");
    expect(appRequestsTo(scene, runners, since)).toEqual([ROUTE.cancelRun]);
    expect(cancelAsked).toContain(run);
    const { comment, marker } = onlyStatus(scene, issue);
    expect(marker).toMatchObject({
      state: "cancelled",
      run: { id: run.id, repo: `${OWNER}/${runners.name}` },
    });
    expect(comment.body).toContain(`Cancelled by @${ALICE}`);
    expect(scene.appComments(issue).at(-1)?.body).toContain(`Stopped: cancelled workflow run #${run.id}`);
    expect(cancelled()).toBe(1);
    // The runner stops; the run's end changes nothing the stop wrote.
    const body = comment.body;
    await runEnds(scene, run, "cancelled");
    expect(onlyStatus(scene, issue).comment.body).toBe(body);
  });

  it("still ends the status when the run had already finished (409)", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    runnerRuns(scene, issue, run);
    await runEndsUnheard(scene, run, "failure");
    const since = scene.mark();
    await scene.comment(issue, "/agent stop");
    const cancel = scene.github
      .requests()
      .slice(since)
      .find((request) => request.route === ROUTE.cancelRun);
    expect(cancel?.status).toBe(409);
    expect(onlyStatus(scene, issue).marker.state).toBe("cancelled");
    expect(scene.appWrites(since)).toEqual([
      ROUTE.cancelRun,
      ROUTE.editComment,
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    ]);
  });

  it("never overwrites a result that lands while it cancels: the task's outcome stays, and it says so", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    runnerRuns(scene, issue, run);
    // The App finds the task running; right after, the action writes its result and the run ends,
    // so the cancel answers 409 and the read before the edit finds the result.
    scene.github.faults.inject({
      route: ROUTE.listComments,
      when: "after",
      meanwhile: async () => {
        actionWrites(scene, issue, "succeeded");
        await scene.github.completeRun(run, "success");
      },
    });
    const since = scene.mark();
    await scene.comment(issue, "/agent stop");
    expect(onlyStatus(scene, issue).marker.state).toBe("succeeded");
    expect(scene.appWrites(since)).not.toContain(ROUTE.editComment);
    expect(scene.appComments(issue).at(-1)?.body).toMatch(
      /^Nothing to stop: \[this task\]\(.+\) has just ended \(succeeded\)\.$/,
    );
  });

  it("says so when nothing is running", async () => {
    const scene = await local.scene();
    const { issue, run } = await startedTask(scene);
    runnerRuns(scene, issue, run);
    actionWrites(scene, issue, "succeeded");
    await runEnds(scene, run, "success");
    const since = scene.mark();
    await scene.comment(issue, "/agent stop");
    expect(scene.appWrites(since)).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
    expect(scene.appComments(issue).at(-1)?.body).toMatch(/^Nothing is running here/);
  });
});

describe("pull_request.opened / ready_for_review", () => {
  const REVIEWS = "automations:\n  reviewPullRequests: true\n";

  /** alice pushes a branch (to her fork when `fromFork`) and opens a pull request through the API. */
  async function openPull(scene: Scene, options: { draft?: boolean; fromFork?: boolean } = {}) {
    const head = options.fromFork ? await scene.github.fork(scene.repo, ALICE) : scene.repo;
    await scene.github.commit(
      head,
      "fix-sum",
      { "src/sum.js": "export const sum = (a, b) => a + b;\n" },
      "Fix sum",
    );
    const { data } = await octokitFor(scene.github, scene.github.userToken(ALICE)).rest.pulls.create({
      owner: OWNER,
      repo: scene.repo.name,
      title: "Fix sum",
      head: options.fromFork ? `${ALICE}:fix-sum` : "fix-sum",
      base: scene.repo.defaultBranch,
      draft: options.draft ?? false,
    });
    await scene.settle();
    const pull = scene.github.state.issue(scene.repo, data.number);
    if (!pull) throw new Error("the pull request is not on GitHub");
    return pull;
  }

  /** alice marks her draft ready for review; the App has handled `pull_request.ready_for_review`. */
  async function readyForReview(scene: Scene, pull: IssueRecord) {
    await scene.github.markReadyForReview(pull as PullIssue, ALICE);
    await scene.settle();
  }

  it("starts a review when automations.reviewPullRequests is on", async () => {
    const scene = await local.scene({ config: REVIEWS });
    const pull = await openPull(scene);
    const [run] = runsIn(scene, scene.repo);
    const task = parseTask(run?.inputs.task ?? "");
    if (!task.ok) throw new Error(`the dispatched task is not valid: ${JSON.stringify(task.errors)}`);
    expect(task.value).toMatchObject({
      kind: "review",
      number: pull.number,
      trigger: { event: "pull_request" },
    });
    expect(onlyStatus(scene, pull).marker).toMatchObject({ state: "queued", run: { id: run?.id } });
  });

  it("does nothing without reviewPullRequests", async () => {
    const scene = await local.scene();
    const ignored = countOf(scene, "pull_request", "ignored");
    const since = scene.mark();
    const pull = await openPull(scene);
    expect(scene.appRequests(since)).toEqual([ROUTE.readFile]);
    expect(scene.appComments(pull)).toEqual([]);
    expect(ignored()).toBe(1);
  });

  it("skips drafts until they are ready for review", async () => {
    const scene = await local.scene({ config: REVIEWS });
    const ignored = countOf(scene, "pull_request", "ignored");
    const since = scene.mark();
    const pull = await openPull(scene, { draft: true });
    expect(scene.appRequests(since)).toEqual([]);
    expect(runsIn(scene, scene.repo)).toEqual([]);
    expect(ignored()).toBe(1);
    await readyForReview(scene, pull);
    expect(runsIn(scene, scene.repo)).toHaveLength(1);
    expect(onlyStatus(scene, pull).marker).toMatchObject({ state: "queued", task: { kind: "review" } });
  });

  it("skips authors below the minimum without a comment", async () => {
    const scene = await local.scene({ config: REVIEWS, role: "read" });
    const pull = await openPull(scene, { draft: true, fromFork: true });
    const refusals = scene.app.metrics.refusals.get({ reason: "permission" });
    const since = scene.mark();
    await readyForReview(scene, pull);
    expect(scene.appWrites(since)).toEqual([]);
    expect(scene.appComments(pull)).toEqual([]);
    expect(runsIn(scene, scene.repo)).toEqual([]);
    expect(scene.app.metrics.refusals.get({ reason: "permission" }) - refusals).toBe(1);
  });
});
