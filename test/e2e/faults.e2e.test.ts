import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { fault, type ScriptedReply } from "../helpers/scripted-model-server.ts";
import { SCENARIO_ONE_ISSUE, scenarioOneScript, widgetFiles } from "./helpers/scenario-one.ts";
import {
  expectCleanSystem,
  plainBotComments,
  runLogs,
  type StatusComment,
  statusComments,
} from "./helpers/system-assertions.ts";
import { startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import type { Fault } from "./local-github/faults.ts";
import type { IssueRecord, RepoRecord } from "./local-github/state.ts";

/**
 * Issue 11, item 3: faults injected at the edges of the whole system (the real App with its
 * production Octokit, the committed action bundle, the Docker sandbox, the scripted model, the
 * local GitHub). Each scenario ends in one terminal status comment that says what happened and what
 * to do, and nothing is posted twice. The runner killed mid-task is whole-system scenario 6/6b.
 */
const SCENARIO_TIMEOUT_MS = 240_000;
const PULLS = "POST /repos/{owner}/{repo}/pulls";
const EDIT_COMMENT = "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}";
const GET_ISSUE = "GET /repos/{owner}/{repo}/issues/{issue_number}";

describeDocker("faults at the edges: every task ends in one terminal status, nothing twice", () => {
  let system: WholeSystem;
  let repos = 0;

  beforeAll(async () => {
    system = await startWholeSystem([], {
      appOctokit: "production",
      // A hung GitHub request is abandoned after 8 s; a silent model after 3 s (both tried again).
      runnerInputs: { "github-timeout-seconds": "8" },
      runnerEnv: { INHOUSE_MODEL_TIMEOUT_MS: "3000" },
    });
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await system?.close();
  });

  /** A fresh widget repository, the faults armed, the script queued, the issue labelled, all settled. */
  async function task(script: ScriptedReply[], faults: Fault[] = []) {
    repos += 1;
    const repo: RepoRecord = await system.github.createRepo(`widget-${repos}`, await widgetFiles());
    system.github.addCollaborator(repo, "alice", "write");
    const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
    system.github.faults.clear();
    const firedBefore = system.github.faults.fired.length;
    for (const f of faults) system.github.faults.inject(f);
    system.model.push(...script);
    await system.github.labelIssue(issue, "agent", "alice");
    await system.settle();
    const fired = system.github.faults.fired.slice(firedBefore).map((f) => `${f.status} ${f.route}`);
    return { repo, issue, fired, status: onlyStatus(issue) };
  }

  /** The one status comment of a task, and no other comment by the App or the action. */
  function onlyStatus(issue: IssueRecord): StatusComment {
    const statuses = statusComments(system, issue);
    expect(statuses, runLogs(system)).toHaveLength(1);
    expect(plainBotComments(system, issue)).toEqual([]);
    return statuses[0]!;
  }

  function onePullRequest(repo: RepoRecord, status: StatusComment) {
    const pulls = system.github.pulls(repo);
    expect(pulls, runLogs(system)).toHaveLength(1);
    expect(status.marker.state).toBe("succeeded");
    expect(status.text).toContain(`/pull/${pulls[0]!.number}`);
  }

  it(
    "GitHub answering 503 before doing the work (reading the issue, editing the status, opening the PR): retried, one PR",
    async () => {
      const { repo, status, fired } = await task(scenarioOneScript(), [
        { route: GET_ISSUE, status: 503, when: "before" },
        { route: EDIT_COMMENT, status: 503, when: "before", times: 2 },
        { route: PULLS, status: 503, when: "before" },
      ]);
      // The status edits run beside the work, so the order of the first three varies.
      expect(fired.sort()).toEqual([
        `503 ${GET_ISSUE}`,
        `503 ${EDIT_COMMENT}`,
        `503 ${EDIT_COMMENT}`,
        `503 ${PULLS}`,
      ]);
      onePullRequest(repo, status);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "GitHub hanging (a read, and the PR create after GitHub made the PR): abandoned after the timeout, looked up, one PR",
    async () => {
      const { repo, status, fired } = await task(scenarioOneScript(), [
        { route: GET_ISSUE, hang: true, when: "before" },
        { route: PULLS, hang: true, when: "after" },
      ]);
      expect(fired.sort()).toEqual([`hang ${GET_ISSUE}`, `hang ${PULLS}`]);
      onePullRequest(repo, status);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "GitHub's secondary rate limit, 403 and 429 with retry-after: waited out, one PR",
    async () => {
      const { repo, status, fired } = await task(scenarioOneScript(), [
        { route: PULLS, secondaryLimit: { status: 403, retryAfterSeconds: 2 }, when: "before" },
        { route: EDIT_COMMENT, secondaryLimit: { status: 429, retryAfterSeconds: 1 }, when: "before" },
      ]);
      expect(fired.sort()).toEqual([`403 ${PULLS}`, `429 ${EDIT_COMMENT}`]);
      onePullRequest(repo, status);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "GitHub's content-creation limit asking for an hour: the task fails saying so and when to try again",
    async () => {
      const { repo, status } = await task(scenarioOneScript(), [
        { route: PULLS, secondaryLimit: { status: 429, retryAfterSeconds: 3600 }, when: "before" },
      ]);
      expect(status.marker.state, runLogs(system)).toBe("failed");
      expect(status.text).toMatch(/secondary rate limit/i);
      expect(status.text).toContain("It asked to wait 60 minutes");
      expect(status.text).toContain("run the task again after that wait, or start fewer tasks at a time");
      expect(system.github.pulls(repo)).toEqual([]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "the model endpoint answering 429 with retry-after: waited out, one PR",
    async () => {
      const [first, ...rest] = scenarioOneScript();
      const { repo, status } = await task([fault.rateLimit(1), first!, ...rest]);
      onePullRequest(repo, status);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "the model endpoint answering 500 on every try: failed, naming the endpoint and what to check",
    async () => {
      const { repo, status } = await task([
        fault.serverError(500),
        fault.serverError(500),
        fault.serverError(500),
      ]);
      expect(status.marker.state, runLogs(system)).toBe("failed");
      expect(status.text).toContain(`${system.model.baseUrl} answered 500`);
      expect(status.text).toContain("check its logs and capacity");
      expect(status.text).toContain("run the command again");
      expect(system.github.pulls(repo)).toEqual([]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "the model endpoint hanging: failed after the request timeout, saying so and what to raise",
    async () => {
      const { repo, status } = await task([fault.hang(), fault.hang(), fault.hang()]);
      expect(status.marker.state, runLogs(system)).toBe("failed");
      expect(status.text).toContain(`${system.model.baseUrl} timed out (3 attempts)`);
      expect(status.text).toContain("requestTimeoutMs");
      expect(system.github.pulls(repo)).toEqual([]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
