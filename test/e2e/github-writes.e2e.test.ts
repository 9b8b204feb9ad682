import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { SCENARIO_ONE_ISSUE, scenarioOneScript, widgetFiles } from "./helpers/scenario-one.ts";
import { expectCleanSystem, runLogs, statusComments } from "./helpers/system-assertions.ts";
import { startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * How the agent's writes meet GitHub's rules (issue 11, part B), through the whole system: the real
 * App, the committed action bundle, the Docker sandbox and the scripted model against the local GitHub.
 */
const SCENARIO_TIMEOUT_MS = 180_000;

describeDocker("whole system: the agent's writes under GitHub's rules", () => {
  let system: WholeSystem;
  let repos = 0;

  beforeAll(async () => {
    system = await startWholeSystem();
  });

  afterAll(async () => {
    await system?.close();
  });

  async function widget(): Promise<RepoRecord> {
    repos += 1;
    const repo = await system.github.createRepo(`widget-${repos}`, await widgetFiles());
    system.github.addCollaborator(repo, "alice", "write");
    return repo;
  }

  it(
    "a push refused by a ruleset ends in a status that names the rule and the fix, not 'the branch moved'",
    async () => {
      const repo = await widget();
      system.github.branchRules.addRuleset(repo, {
        name: "no agent branches",
        include: ["refs/heads/agent/**"],
        rules: ["creation"],
      });
      const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
      system.model.push(...scenarioOneScript());
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      expect(system.github.pulls(repo)).toEqual([]);
      const statuses = statusComments(system, issue);
      expect(
        statuses.map((s) => s.marker.state),
        runLogs(system),
      ).toEqual(["failed"]);
      const text = statuses[0]!.text;
      expect(text).toContain(
        "a repository ruleset forbids it (Cannot create ref due to creations being restricted.)",
      );
      expect(text).toContain("bypass list");
      expect(text).not.toMatch(/branch moved/);
      expect(
        system.github.pushes().filter((p) => p.repo === `${repo.owner.login}/${repo.name}`),
      ).toMatchObject([{ refused: "push declined due to repository rule violations" }]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
