import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { fault, step, transcript } from "../helpers/scripted-model-server.ts";
import {
  BUG,
  SCENARIO_ONE_ISSUE,
  scenarioOneScript,
  systemWithWidget,
  TEST_COMMAND,
} from "./helpers/scenario-one.ts";
import {
  cleanScenarios,
  expectFailedWithoutPr,
  leakedTokens,
  plainBotComments,
  runLogs,
  statusComments,
  waitForModelRequests,
} from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import { runGit } from "./local-github/git-repos.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";
import type { IssueRecord, RepoRecord } from "./local-github/state.ts";
import type { Delivery } from "./local-github/webhook-sender.ts";

/**
 * The whole system of issue 7: the real App (Probot) and the committed action bundle on a test
 * runner, against the local GitHub, a scripted model server and the real Docker sandbox.
 */
/** A scenario is a few container starts and test runs on a shared 2-core machine: minutes, not seconds. */
const SCENARIO_TIMEOUT_MS = 180_000;

describeDocker("whole system: issue → PR → /agent fix → /agent review", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let issue: IssueRecord;
  let pull: PullIssue;
  let labelled: Delivery;

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
    issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  scenario(
    "1. labelling an issue `agent` opens a PR with the fix, tests green in the sandbox, and a terminal status",
    async () => {
      system.model.push(...scenarioOneScript());
      labelled = await system.github.labelIssue(issue, "agent", "alice");
      expect(labelled.status).toBe(200);
      await system.settle();

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      pull = pulls[0]!;
      expect(pull.pull.headRef).toMatch(/^agent\//);
      expect(pull.pull.baseRef).toBe("main");
      expect(pull.body).toContain(`Closes #${issue.number}`);
      expect(await system.github.readFile(repo, pull.pull.headRef, BUG.path)).toContain(BUG.fixed);
      // The commit is linked to the App's bot: GitHub's noreply form <id>+<slug>[bot]@users.noreply.github.com.
      const bot = system.github.state.user(system.github.credentials.botLogin);
      const author = await runGit(["-C", repo.gitDir, "log", "-1", "--format=%an <%ae>", pull.pull.headRef]);
      expect(author.toString().trim()).toBe(`${bot.login} <${bot.id}+${bot.login}@users.noreply.github.com>`);

      const statuses = statusComments(system, issue);
      expect(statuses).toHaveLength(1);
      expect(statuses[0]!.marker.state).toBe("succeeded");
      expect(statuses[0]!.text).toContain(`/${repo.owner.login}/widget/pull/${pull.number}`);
      expect(statuses[0]!.text).toMatch(/verification passed/);
      expect(system.github.state.reactions.some((r) => r.content === "eyes")).toBe(true);
      expect(system.github.state.runs.map((run) => run.conclusion)).toEqual(["success"]);
      expect(system.model.remaining).toBe(0);
      // The branch is created at main by a push, then GitHub's commit API adds the signed fix.
      const pushes = system.github.pushes().filter((push) => !push.refused);
      expect(new Set(pushes.map((push) => push.ref))).toEqual(new Set([`refs/heads/${pull.pull.headRef}`]));
      expect(pushes.at(-1)?.via).toBe("api");
    },
  );

  it(
    "1b. GitHub redelivering the label webhook starts nothing",
    async () => {
      expect(labelled, "scenario 1 must deliver the label first").toBeDefined();
      const runsBefore = system.github.state.runs.length;
      const commentsBefore = system.github.commentsOn(issue).length;
      expect((await system.github.redeliver(labelled)).status).toBe(200);
      await system.settle();
      expect(system.github.state.runs).toHaveLength(runsBefore);
      expect(system.github.commentsOn(issue)).toHaveLength(commentsBefore);
      expect(system.github.violations()).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  scenario(
    "2. `/agent fix` with an extra instruction on that PR adds a commit to the PR branch",
    async () => {
      expect(pull, "scenario 1 must open the PR first").toBeDefined();
      const before = (await system.github.branches(repo)).get(pull.pull.headRef)!;
      const instruction = "also document sum in the README";
      const firstRequest = system.model.requests.length;
      system.model.push(
        step.tool("read_file", { path: "README.md" }),
        step.tool("edit_file", {
          path: "README.md",
          oldText: "# widget\n",
          newText: "# widget\n\n`sum(a, b)` adds two numbers.\n",
        }),
        step.tool("run", { command: TEST_COMMAND }),
        step.tool("finish", { summary: "Documented sum in the README." }),
      );
      await system.github.userComment(pull, "alice", `/agent fix ${instruction}`);
      await system.settle();

      const after = (await system.github.branches(repo)).get(pull.pull.headRef)!;
      expect(after, runLogs(system)).not.toBe(before);
      expect(system.github.pushes().at(-1)).toMatchObject({
        ref: `refs/heads/${pull.pull.headRef}`,
        before,
        after,
      });
      expect(system.github.pulls(repo)).toHaveLength(1);
      expect(await system.github.readFile(repo, pull.pull.headRef, "README.md")).toContain(
        "adds two numbers",
      );
      expect(await system.github.readFile(repo, pull.pull.headRef, BUG.path)).toContain(BUG.fixed);
      expect(transcript(system.model.requests[firstRequest]!)).toContain(instruction);
      const statuses = statusComments(system, pull);
      expect(statuses.map((s) => s.marker.state)).toEqual(["succeeded"]);
    },
  );

  scenario("3. `/agent review` posts a review with inline comments on the changed lines", async () => {
    expect(pull, "scenario 1 must open the PR first").toBeDefined();
    system.model.push(
      step.tool("read_file", { path: BUG.path }),
      step.tool("review_comment", {
        path: BUG.path,
        line: 2,
        body: "Good: addition, as the test expects.",
      }),
      step.tool("review_comment", { path: "README.md", line: 3, body: "Maybe show an example." }),
      step.tool("finish", { summary: "The fix is right; two notes." }),
    );
    await system.github.userComment(pull, "alice", "/agent review");
    await system.settle();

    const { reviews, comments } = system.github.reviewsOn(pull);
    expect(reviews, runLogs(system)).toHaveLength(1);
    expect(reviews[0]).toMatchObject({
      state: "COMMENTED",
      user: { login: system.github.credentials.botLogin },
    });
    expect(comments.map((c) => [c.path, c.line, c.side])).toEqual([
      [BUG.path, 2, "RIGHT"],
      ["README.md", 3, "RIGHT"],
    ]);
    expect(statusComments(system, pull).at(-1)?.marker.state).toBe("succeeded");
  });
  it(
    "8. the run history holds scenarios 1–3 with their usage, and merging the agent's PR marks its run merged",
    async () => {
      expect(pull, "scenario 1 must open the PR first").toBeDefined();
      await system.github.mergePull(pull, "alice");
      await system.settle();
      const runs = await system.app.store.db.selectFrom("runs").selectAll().orderBy("id").execute();
      expect(runs.map((r) => [r.number, r.kind, r.state])).toEqual([
        [issue.number, "fix-issue", "succeeded"],
        [pull.number, "fix-pr", "succeeded"],
        [pull.number, "review", "succeeded"],
      ]);
      expect(runs[0]).toMatchObject({
        actor: "alice",
        trigger_event: "issues",
        conclusion: "success",
      });
      expect(runs[0]!.workflow_run_url).toMatch(/\/actions\/runs\/\d+$/);
      // The usage record the action wrote into the final marker.
      expect(runs[0]).toMatchObject({
        pr_number: pull.number,
        pr_state: "merged",
        outcome: "finished",
        verification: "passed",
        profile: "default",
        runner: "e2e-runner",
      });
      expect(runs[0]!.turns).toBeGreaterThan(0);
      expect(runs[0]!.prompt_tokens).toBeGreaterThan(0);
      expect(runs[0]!.phases?.map((p) => p.name)).toEqual(
        expect.arrayContaining(["provisioning", "working", "publishing"]),
      );
      expect(runs[2]!.link).toMatch(/#pullrequestreview-\d+$|\/pull\/\d+/);
      expect(runs[0]!.reason).toContain(`/pull/${pull.number}`);
      expect(system.app.errors).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});

describeDocker("whole system: refusals and failures", () => {
  let system: WholeSystem;
  let repo: RepoRecord;

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  /** alice labels a new issue; its task reads the buggy file, then waits on a model that never answers. */
  async function taskWaitingOnModel() {
    const issue = system.github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    const requestsBefore = system.model.requests.length;
    system.model.push(step.tool("read_file", { path: BUG.path }), fault.hang());
    await system.github.labelIssue(issue, "agent", "alice");
    const run = await system.runner.started(
      (r) => r.inputs.task?.includes(`"number":${issue.number}`) ?? false,
    );
    await waitForModelRequests(system, requestsBefore + 2, run.id);
    return { issue, run };
  }

  const dispatches = () =>
    system.github
      .requests()
      .filter((r) => r.route === "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches");

  scenario(
    "4. an unauthorised user gets one refusal and no dispatch, even when GitHub redelivers",
    async () => {
      const issue = system.github.openIssue(repo, { title: "please fix", user: "rita" });
      const delivery = await system.github.userComment(issue, "rita", "/agent fix");
      await system.settle();
      await system.github.redeliver(delivery);
      await system.settle();

      expect(dispatches()).toEqual([]);
      expect(system.github.state.runs).toEqual([]);
      const refusals = plainBotComments(system, issue);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]!.body).toMatch(/write/);
      expect(statusComments(system, issue).filter((s) => s.marker.state !== "refused")).toEqual([]);
    },
  );

  scenario("5. the model failing mid-task ends in a failed status, no PR, and no container", async () => {
    const issue = system.github.openIssue(repo, { title: "sum subtracts", user: "alice" });
    system.model.push(
      step.tool("read_file", { path: BUG.path }),
      fault.status(400, "scripted: the model server rejected the request"),
    );
    await system.github.labelIssue(issue, "agent", "alice");
    await system.settle();

    expect(expectFailedWithoutPr(system, repo, issue)).toMatch(/fail/i);
    expect(system.github.state.runs.at(-1)?.conclusion).toBe("failure");
    const branches = [...(await system.github.branches(repo)).keys()];
    expect(branches).toEqual(["main"]);
  });

  it(
    "6. a runner killed mid-task still ends with a terminal status, through workflow_run.completed",
    async () => {
      const { issue, run } = await taskWaitingOnModel();
      system.runner.kill(run.id);
      await system.settle();

      const result = system.runner.results.find((r) => r.run.id === run.id)!;
      expect(result.how).toBe("killed");
      expect(result.post).toBeUndefined();
      const completed = system.github
        .deliveries()
        .filter(
          (d) => d.event === "workflow_run" && (d.payload.workflow_run as { id: number }).id === run.id,
        );
      expect(completed.map((d) => d.status)).toEqual([200]);
      const statuses = statusComments(system, issue);
      expect(statuses).toHaveLength(1);
      expect(["failed", "cancelled"]).toContain(statuses[0]!.marker.state);
      expect(system.github.pulls(repo)).toEqual([]);
      expect(system.github.violations()).toEqual([]);
      expect(system.app.errors).toEqual([]);
      expect(leakedTokens(system)).toEqual([]);
      // The killed runner never ran the post step, so its sandbox is still there until the next
      // task on this runner sweeps it (6b).
      expect(await system.containers(repo.name)).toHaveLength(1);
    },
    SCENARIO_TIMEOUT_MS,
  );

  scenario(
    "6b. the sandbox a killed runner left behind is removed by the next task on that runner",
    async () => {
      const [orphan] = await system.containers(repo.name);
      expect(orphan, "scenario 6 leaves the killed run's sandbox behind").toBeDefined();
      const issue = system.github.openIssue(repo, { title: "sum subtracts", user: "alice" });
      system.model.push(fault.status(400, "scripted: the model server rejected the request"));
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      expect(statusComments(system, issue).map((s) => s.marker.state)).toEqual(["failed"]);
      // The orphan is fresh (far younger than the task time cap), so only the owner check removes it.
      const left = await system.containers(repo.name);
      expect(left.map((c) => c.Id)).not.toContain(orphan!.Id);
    },
  );

  scenario(
    "7. `/agent stop` cancels the run: the post step removes the sandbox and the status ends cancelled",
    async () => {
      const { issue, run } = await taskWaitingOnModel();
      await system.github.userComment(issue, "alice", "/agent stop");
      await system.settle();

      const result = system.runner.results.find((r) => r.run.id === run.id)!;
      expect(result.how).toBe("cancelled");
      expect(result.post?.exitCode, runLogs(system)).toBe(0);
      expect(system.github.state.run(run.id)?.conclusion).toBe("cancelled");
      const statuses = statusComments(system, issue);
      expect(statuses.map((s) => s.marker.state)).toEqual(["cancelled"]);
      expect(plainBotComments(system, issue).map((c) => c.body)).toEqual([
        expect.stringContaining("Stopped"),
      ]);
      expect(system.github.pulls(repo)).toEqual([]);
    },
  );
  it(
    "8. the run history holds scenarios 4–7: one refusal though delivered twice, failures, a cancel",
    async () => {
      const runs = await system.app.store.db.selectFrom("runs").selectAll().orderBy("id").execute();
      expect(runs.map((r) => r.state)).toEqual(["refused", "failed", "failed", "failed", "cancelled"]);
      expect(runs[0]).toMatchObject({
        actor: "rita",
        kind: "fix-issue",
        reason: expect.stringMatching(/write/),
      });
      // 6: the runner died, so GitHub's conclusion is the record.
      expect(runs[2]).toMatchObject({
        conclusion: "failure",
        reason: expect.stringMatching(/before the agent reported/),
      });
      expect(runs[4]!.reason).toMatch(/cancel/i);
      expect(system.app.errors).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
