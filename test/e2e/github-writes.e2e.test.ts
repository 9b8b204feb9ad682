import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { step } from "../helpers/scripted-model-server.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { BUG, SCENARIO_ONE_ISSUE, scenarioOneScript, widgetFiles } from "./helpers/scenario-one.ts";
import {
  cleanScenarios,
  expectFailedWithoutPr,
  runLogs,
  statusComments,
} from "./helpers/system-assertions.ts";
import { startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * How the agent's writes meet GitHub's rules (issue 11, part B), through the whole system: the real
 * App, the committed action bundle, the Docker sandbox and the scripted model against the local GitHub.
 */
const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * Someone pushes to a branch while the agent works: synchronous, so a scripted model step can do it
 * between two turns (it goes straight into the bare repository, as a push that needs no rules).
 */
function pushNow(gitDir: string, branch: string, files: Record<string, string>, message: string): void {
  const work = mkdtempSync(join(tmpdir(), "someone-pushes-"));
  try {
    execFileSync("git", ["clone", "--quiet", "-b", branch, gitDir, work]);
    for (const [path, text] of Object.entries(files)) writeFileSync(join(work, path), text);
    const who = ["-c", "user.name=Bob", "-c", "user.email=bob@example.com"];
    execFileSync("git", ["-C", work, ...who, "commit", "--quiet", "-am", message]);
    execFileSync("git", ["-C", work, "push", "--quiet", "origin", `HEAD:refs/heads/${branch}`]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describeDocker("whole system: the agent's writes under GitHub's rules", () => {
  let system: WholeSystem;
  let repos = 0;

  beforeAll(async () => {
    system = await startWholeSystem();
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system }), SCENARIO_TIMEOUT_MS);

  async function widget(): Promise<RepoRecord> {
    repos += 1;
    const repo = await system.github.createRepo(`widget-${repos}`, await widgetFiles());
    system.github.addCollaborator(repo, "alice", "write");
    return repo;
  }

  scenario(
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

      const text = expectFailedWithoutPr(system, repo, issue);
      expect(text).toContain(
        "a repository ruleset forbids it (Cannot create ref due to creations being restricted.)",
      );
      expect(text).toContain("bypass list");
      expect(text).not.toMatch(/branch moved/);
      expect(
        system.github.pushes().filter((p) => p.repo === `${repo.owner.login}/${repo.name}`),
      ).toMatchObject([{ refused: "push declined due to repository rule violations" }]);
      return repo;
    },
  );

  scenario(
    "/agent review survives a head that moved while the agent reviewed: the review is posted, not lost to a 422",
    async () => {
      const repo = await widget();
      await system.github.commit(
        repo,
        "fix-sum",
        { [BUG.path]: `export function sum(a, b) {\n  ${BUG.fixed}\n}\n` },
        "Fix sum",
      );
      const alice = octokitFor(system.github, system.github.userToken("alice"));
      const { data } = await alice.rest.pulls.create({
        owner: repo.owner.login,
        repo: repo.name,
        head: "fix-sum",
        base: "main",
        title: "Fix sum",
      });
      const pull = system.github.pulls(repo).find((p) => p.number === data.number)!;
      system.model.push(
        () => {
          // Bob pushes a README change after the agent has read the pull request's head.
          pushNow(repo.gitDir, "fix-sum", { "README.md": "# widget\n\nAdds numbers.\nAnd more.\n" }, "Docs");
          return step.tool("read_file", { path: BUG.path });
        },
        step.tool("review_comment", { path: BUG.path, line: 2, body: "Right operator now." }),
        step.tool("review_comment", { path: "README.md", line: 3, body: "Say what it adds." }),
        step.tool("finish", { summary: "Looks right." }),
      );
      await system.github.userComment(pull, "alice", "/agent review");
      await system.settle();

      const { reviews, comments } = system.github.reviewsOn(pull);
      expect(reviews, runLogs(system)).toHaveLength(1);
      expect(comments).toEqual([]);
      expect(reviews[0]!.body).toContain("moved from");
      expect(reviews[0]!.body).toContain("Right operator now.");
      expect(reviews[0]!.body).toContain("Say what it adds.");
      const statuses = statusComments(system, pull);
      expect(statuses.map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(statuses[0]!.text).toContain("moved while the review ran");
      return repo;
    },
  );

  scenario(
    "GitHub answering 502 after it opened the pull request or posted the review: exactly one of each, and a terminal status",
    async () => {
      const repo = await widget();
      const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
      system.github.faults.inject({ route: "POST /repos/{owner}/{repo}/pulls", status: 502, when: "after" });
      system.model.push(...scenarioOneScript());
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      const opened = statusComments(system, issue);
      expect(opened.map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(opened[0]!.text).toContain(`/pull/${pulls[0]!.number}`);
      expect((await system.github.branches(repo)).has(pulls[0]!.pull.headRef)).toBe(true);

      system.github.faults.inject({
        route: "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        status: 502,
        when: "after",
      });
      system.model.push(
        step.tool("review_comment", { path: BUG.path, line: 2, body: "Right operator now." }),
        step.tool("finish", { summary: "Looks right." }),
      );
      await system.github.userComment(pulls[0]!, "alice", "/agent review");
      await system.settle();
      expect(system.github.reviewsOn(pulls[0]!).reviews, runLogs(system)).toHaveLength(1);
      expect(statusComments(system, pulls[0]!).map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(system.github.faults.fired.map((f) => f.route)).toEqual([
        "POST /repos/{owner}/{repo}/pulls",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      ]);
      return repo;
    },
  );

  scenario(
    "a repository whose ruleset requires signed commits gets the agent's PR: the commit is made through GitHub's API and Verified",
    async () => {
      const repo = await widget();
      system.github.branchRules.addRuleset(repo, {
        name: "signed commits",
        include: ["~ALL"],
        rules: ["required_signatures"],
      });
      const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
      system.model.push(...scenarioOneScript());
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      const head = (await system.github.branches(repo)).get(pulls[0]!.pull.headRef)!;
      expect(system.github.state.signedCommits.has(head)).toBe(true);
      expect(await system.github.readFile(repo, head, BUG.path)).toContain(BUG.fixed);
      const updates = system.github.pushes().filter((p) => p.repo === `${repo.owner.login}/${repo.name}`);
      expect(updates.filter((p) => p.refused)).toEqual([]);
      expect(updates.at(-1)).toMatchObject({
        ref: `refs/heads/${pulls[0]!.pull.headRef}`,
        after: head,
        via: "api",
      });
      expect(statusComments(system, issue).map((s) => s.marker.state)).toEqual(["succeeded"]);
      return repo;
    },
  );
});
