import { afterAll, beforeAll, expect } from "vitest";
import { automationMarker } from "../../action/automation/automation-threads.ts";
import { describeDocker } from "../helpers/docker.ts";
import { step } from "../helpers/scripted-model-server.ts";
import {
  AUTOMATIONS_WORKFLOW,
  createGreeter,
  resultsSince,
  updateDependency,
} from "./helpers/automations.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { cleanScenarios, runLogs } from "./helpers/system-assertions.ts";
import { startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import { runGit } from "./local-github/git-repos.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * Issue 15 through the whole system: the shipped automations workflow on the local GitHub, fired by
 * its scheduler or dispatched by a person, the committed action bundle on the test runner, the real
 * sandbox and the scripted model, on the greeter fixture with the two example automations.
 */
const SCENARIO_TIMEOUT_MS = 240_000;

describeDocker("whole system: scheduled automations", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let prBranch: string;

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  beforeAll(async () => {
    system = await startWholeSystem();
    repo = await createGreeter(system);
    system.github.addCollaborator(repo, "alice", "maintain");
    system.github.addCollaborator(repo, "bob", "write");
  });

  afterAll(async () => {
    await system?.close();
  });

  /**
   * GitHub's scheduler fires the workflow's cron (alice last edited it); the template's matrix runs
   * one job per listed automation, dependency-update first, then risky-patterns.
   */
  async function schedule(): Promise<void> {
    await system.github.fireSchedule(repo, AUTOMATIONS_WORKFLOW, "alice");
    await system.settle();
  }

  scenario(
    "1. the weekly schedule runs both example automations: the dependency update opens one PR, the scan opens one issue with file and line",
    async () => {
      const before = system.runner.results.length;
      // The matrix runs dependency-update, then risky-patterns, one job each on the one runner.
      system.model.push(
        step.tool("run", { command: "npm run outdated" }),
        ...updateDependency("tiny-pad", "1.0.0", "1.1.0"),
        step.tool("run", { command: "npm test" }),
        step.tool("finish", {
          summary: "Updated tiny-pad 1.0.0 → 1.1.0. Left tiny-case 2.1.0 for the next run.",
        }),
        step.tool("search", { pattern: "eval\\(|exec\\(" }),
        step.tool("report_finding", {
          path: "src/settings.js",
          line: 2,
          body: "`eval` of a settings string runs any code in it; parse it with JSON.parse.",
        }),
        step.tool("report_finding", {
          path: "src/convert.js",
          line: 5,
          body: "`exec` with a file name in a shell string; use execFile with an argument list.",
        }),
        step.tool("finish", { summary: "Two risky patterns in src/." }),
      );
      await schedule();

      const results = resultsSince(system, before);
      expect(
        results.map((r) => r.matrix.automation),
        runLogs(system),
      ).toEqual(["dependency-update", "risky-patterns"]);
      const run = system.github.state.runs.at(-1)!;
      expect(run).toMatchObject({
        event: "schedule",
        conclusion: "success",
        displayTitle: "scheduled automations",
      });

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      const pull = pulls[0]!;
      prBranch = pull.pull.headRef;
      expect(prBranch).toMatch(/^agent\/automation-dependency-update-/);
      expect(pull.title).toBe("Weekly dependency update");
      expect(pull.user.login).toBe(system.github.credentials.botLogin);
      expect(pull.body).toContain("`automations.tasks.dependency-update`");
      expect(pull.body).toContain("To turn it off");
      expect(pull.body).toContain(automationMarker("dependency-update"));
      expect(await system.github.readFile(repo, prBranch, "package.json")).toContain('"tiny-pad": "1.1.0"');

      const issues = system.github.state.issues.filter((i) => i.repo === repo && !i.pull);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.title).toBe("Weekly scan for risky patterns");
      expect(issues[0]!.body).toContain("- `src/convert.js:5`: `exec` with a file name");
      expect(issues[0]!.body).toContain("- `src/settings.js:2`: `eval` of a settings string");
      expect(issues[0]!.body).toContain(automationMarker("risky-patterns"));

      // Each job's summary: what it did, tokens, time, and the PR or issue.
      expect(results[0]!.summary).toContain("inhouse: automation dependency-update in");
      expect(results[0]!.summary).toContain(`/pull/${pull.number}`);
      expect(results[0]!.summary).toMatch(/tokens/);
      expect(results[1]!.summary).toContain(`/issues/${issues[0]!.number}`);
    },
  );

  scenario(
    "2. the next run adds a commit to the same PR, on top of a person's commit there, and comments on the same issue",
    async () => {
      expect(prBranch, "scenario 1 must open the PR first").toBeDefined();
      const human = await system.github.commit(
        repo,
        prBranch,
        { "NOTES.md": "tiny-pad pinned below 2.\n" },
        "Note why",
      );
      const issue = system.github.state.issues.find((i) => i.repo === repo && !i.pull)!;
      const commentsBefore = system.github.commentsOn(issue).length;
      system.model.push(
        step.tool("run", { command: "npm run outdated" }),
        ...updateDependency("tiny-case", "2.0.0", "2.1.0"),
        step.tool("finish", { summary: "Updated tiny-case 2.0.0 → 2.1.0; the tests pass." }),
        step.tool("report_finding", {
          path: "src/settings.js",
          line: 2,
          body: "`eval` is still there.",
        }),
        step.tool("finish", { summary: "One risky pattern left." }),
      );
      await schedule();

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      const head = (await system.github.branches(repo)).get(prBranch)!;
      const parents = (await runGit(["-C", repo.gitDir, "rev-list", "--first-parent", "-n", "2", head]))
        .toString()
        .trim()
        .split("\n");
      expect(parents[1]).toBe(human);
      const packageJson = await system.github.readFile(repo, prBranch, "package.json");
      expect(packageJson).toContain('"tiny-pad": "1.1.0"');
      expect(packageJson).toContain('"tiny-case": "2.1.0"');
      expect(
        system.github
          .commentsOn(pulls[0]!)
          .map((c) => c.body)
          .join("\n"),
      ).toContain("Automation `dependency-update` (schedule) pushed");
      const comments = system.github.commentsOn(issue);
      expect(comments).toHaveLength(commentsBefore + 1);
      expect(comments.at(-1)!.body).toContain("`src/settings.js:2`: `eval` is still there.");
      expect(system.github.state.issues.filter((i) => i.repo === repo && !i.pull)).toHaveLength(1);
    },
  );

  scenario(
    "3. a run with nothing to do opens nothing, comments nowhere, and says so in the job summary",
    async () => {
      const before = system.runner.results.length;
      const issuesBefore = system.github.state.issues.length;
      const commentsBefore = system.github.state.comments.length;
      system.model.push(
        step.tool("run", { command: "npm run outdated" }),
        step.tool("finish", { summary: "All dependencies are up to date." }),
        step.tool("search", { pattern: "eval\\(" }),
        step.tool("finish", { summary: "Nothing risky found." }),
      );
      await schedule();

      expect(system.github.state.issues, runLogs(system)).toHaveLength(issuesBefore);
      expect(system.github.state.comments).toHaveLength(commentsBefore);
      const [deps, scan] = resultsSince(system, before);
      expect(deps!.summary).toContain("the agent made no changes, so nothing was opened");
      expect(scan!.summary).toContain("nothing to report, so no issue was opened or updated");
    },
  );

  scenario(
    "4. a manual dispatch by a user below permissions.minimum gets no token and so fetches no code; a maintainer's runs",
    async () => {
      const before = system.runner.results.length;
      const pullsBefore = system.github.pulls(repo).length;
      const modelRequests = system.model.requests.length;
      const dispatch = (login: string) =>
        octokitFor(system.github, system.github.userToken(login)).rest.actions.createWorkflowDispatch({
          owner: repo.owner.login,
          repo: repo.name,
          workflow_id: AUTOMATIONS_WORKFLOW,
          ref: "main",
          inputs: { automation: "dependency-update" },
        });
      await dispatch("bob");
      await system.settle();
      const [refused] = resultsSince(system, before);
      expect(refused!.matrix).toEqual({ automation: "dependency-update" });
      expect(refused!.run).toMatchObject({
        event: "workflow_dispatch",
        displayTitle: "automation dependency-update",
      });
      // The App's token exchange refuses the run's OIDC token through the same actor gate (issue
      // #12): the job gets no token at all, so it fails before any code is fetched, saying why.
      expect(refused!.main.exitCode).not.toBe(0);
      // No task ran: the step failed, and its state output says so (as for a broken config, scenario 5).
      expect(refused!.outputs.state).toBe("failed");
      expect(refused!.summary).toContain("inhouse: nothing was run");
      expect(refused!.log).toContain("the inhouse App refused a task token (403)");
      expect(refused!.log).toContain("dispatched by bob: @bob has `write` permission");
      expect(refused!.log).toContain("`maintain` or higher");
      expect(system.model.requests).toHaveLength(modelRequests);
      expect(system.github.pulls(repo)).toHaveLength(pullsBefore);

      system.model.push(step.tool("finish", { summary: "Nothing to update." }));
      await dispatch("alice");
      await system.settle();
      const [accepted] = resultsSince(system, before + 1);
      expect(accepted!.outputs.state, runLogs(system)).toBe("succeeded");
    },
  );

  scenario(
    "5. a config error in an automation ends the run with the key and the fix in the job summary",
    async () => {
      const broken = await createGreeter(system, "greeter-broken");
      const config = await system.github.readFile(broken, "main", ".github/agent.yml");
      await system.github.commit(
        broken,
        "main",
        { ".github/agent.yml": config!.replace("output: issue", "outptu: issue") },
        "Typo",
      );
      const before = system.runner.results.length;
      await system.github.fireSchedule(broken, AUTOMATIONS_WORKFLOW, "alice");
      await system.settle();
      const results = resultsSince(system, before);
      expect(results).toHaveLength(2);
      for (const result of results) {
        expect(result.outputs.state, runLogs(system)).toBe("failed");
        expect(result.summary).toContain("automations.tasks.risky-patterns.outptu");
        expect(result.summary).toContain("did you mean 'output'?");
      }
      expect(system.github.state.runs.at(-1)!.conclusion).toBe("failure");
      expect(system.github.pulls(broken)).toHaveLength(0);
      return broken;
    },
  );
});
