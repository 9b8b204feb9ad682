import { afterAll, beforeAll, expect, it } from "vitest";
import { parseStatusMarker } from "../../core/status-marker.ts";
import { describeDocker } from "../helpers/docker.ts";
import { BUG, SCENARIO_ONE_ISSUE, scenarioOneScript, widgetFiles } from "./helpers/scenario-one.ts";
import { expectCleanSystem, runLogs, statusComments } from "./helpers/system-assertions.ts";
import { agentWorkflow, startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * Issue 17, item 5: one runner repository for the organisation. The App has an App-wide default
 * runner repository (INHOUSE_DEFAULT_RUNNER_REPO); a repository with no .github/agent.yml at all
 * (and no workflow) gets a PR from a run in that central repository. The action accepts the task
 * there only because the App's own status comment records it (`runner` in the marker), and the
 * App mints the run's task token for the same reason.
 */
describeDocker("the App-wide default runner repository", () => {
  let system: WholeSystem;
  let runners: RepoRecord;
  let widget: RepoRecord;

  beforeAll(async () => {
    system = await startWholeSystem([], { defaultRunnerRepoName: "agent-runners", sandboxPool: "0" });
    runners = await system.github.createRepo("agent-runners", {
      ".github/workflows/agent.yml": await agentWorkflow(),
      "README.md": "# the organisation's runner repository\n",
    });
    const {
      ".github/agent.yml": _config,
      ".github/workflows/agent.yml": _workflow,
      ...plain
    } = await widgetFiles();
    widget = await system.github.createRepo("widget", plain);
    system.github.addCollaborator(widget, "alice", "write");
  }, 60_000);

  afterAll(async () => {
    await system?.close();
  });

  it("a repository with no agent.yml gets its PR from a run in the central repository", async () => {
    system.model.push(...scenarioOneScript());
    const issue = system.github.openIssue(widget, SCENARIO_ONE_ISSUE);
    await system.github.labelIssue(issue, "agent", "alice");
    await system.settle();

    const runs = system.github.state.runs;
    expect(
      runs.map((run) => `${run.repo.name}:${run.conclusion}`),
      runLogs(system),
    ).toEqual(["agent-runners:success"]);
    const pulls = system.github.pulls(widget);
    expect(pulls, runLogs(system)).toHaveLength(1);
    expect(await system.github.readFile(widget, pulls[0]!.pull.headRef, BUG.path)).toContain(BUG.fixed);
    const [status] = statusComments(system, issue);
    expect(status?.marker.state).toBe("succeeded");
    // Where the App dispatched it, in its own comment, kept through the action's rewrites.
    expect(status?.marker.runner).toBe(`${system.owner}/agent-runners`);
    expect(parseStatusMarker(status!.comment.body)?.run?.repo).toBe(`${system.owner}/agent-runners`);
    expect(system.github.pulls(runners)).toEqual([]);
    await expectCleanSystem(system, widget);
  }, 180_000);
});
