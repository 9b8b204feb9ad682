import { afterAll, beforeAll, expect } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { BUG, scenarioOneScript, systemWithWidget, TEST_COMMAND } from "./helpers/scenario-one.ts";
import { cleanScenarios, plainBotComments, runLogs, statusComments } from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import type { RepoRecord } from "./local-github/state.ts";

const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * Issue #12, item 4, through the whole system: `permissions.allowedBots: [renovate]` lets the bot
 * `renovate[bot]` start work, and the App and the action agree (one gate, `core/actor-gate.ts`);
 * a bot the list does not name starts nothing.
 */
describeDocker("whole system: allowedBots accepted by the App and the action alike", () => {
  let system: WholeSystem;
  let repo: RepoRecord;

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
    await system.github.commit(
      repo,
      "main",
      {
        ".github/agent.yml": `commands:\n  test: ${TEST_COMMAND}\npermissions:\n  allowedBots: [Renovate]\n`,
      },
      "Let renovate start work",
    );
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  scenario(
    "renovate[bot]'s label (listed as Renovate, without [bot]) runs the task through to a PR",
    async () => {
      const issue = system.github.openIssue(repo, {
        title: "sum subtracts",
        body: "2 + 3",
        user: "renovate[bot]",
      });
      system.model.push(...scenarioOneScript());
      await system.github.labelIssue(issue, "agent", "renovate[bot]");
      await system.settle();
      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      expect(await system.github.readFile(repo, pulls[0]!.pull.headRef, BUG.path)).toContain(BUG.fixed);
      const statuses = statusComments(system, issue);
      expect(statuses.map((s) => [s.marker.state, s.marker.actor])).toEqual([["succeeded", "renovate[bot]"]]);
    },
  );

  scenario("dependabot[bot], not listed, starts nothing and is told how to be allowed", async () => {
    const issue = system.github.openIssue(repo, { title: "bump", user: "dependabot[bot]" });
    const runsBefore = system.github.state.runs.length;
    await system.github.labelIssue(issue, "agent", "dependabot[bot]");
    await system.settle();
    expect(system.github.state.runs).toHaveLength(runsBefore);
    expect(
      plainBotComments(system, issue)
        .map((c) => c.body)
        .join("\n"),
    ).toMatch(/allowedBots/);
  });
});
