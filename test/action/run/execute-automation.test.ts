import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { automationMarker } from "../../../action/automation/automation-threads.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import type { PullIssue } from "../../e2e/local-github/shapes/pull.ts";
import { sh } from "../workspace/origin.ts";
import {
  agentResult,
  createHarness,
  type HarnessOptions,
  RUN_TIMEOUT_MS,
  startActionGitHub,
} from "./harness.ts";

const CONFIG = [
  "permissions: { minimum: maintain }",
  "automations:",
  "  tasks:",
  "    weekly-scan:",
  "      description: Weekly risky-pattern scan",
  "      instructions: Look for eval and child_process with shell strings.",
  "      output: issue",
  "    dependency-update:",
  "      description: Weekly dependency update",
  "      instructions: Update outdated dependencies and keep the tests green.",
  "      model: { profile: small }",
  "      limits: { turns: 12 }",
].join("\n");

const BOT = "inhouse[bot]";

let github: LocalGitHub;
beforeAll(async () => {
  github = await startActionGitHub();
});
afterAll(() => github.close());
// Every request the action made was one GitHub has and would accept.
afterEach(() => expect(github.violations()).toEqual([]));

/** A repository with the automations config on its default branch. */
const automationRepo = (options: HarnessOptions = {}) =>
  createHarness(github, { config: CONFIG, ...options });

/** What every automation run reads first: the repository and its config. */
const REPO_READS = ["GET /repos/{owner}/{repo}", "GET /repos/{owner}/{repo}/contents/{path}"];

const FINDINGS = [
  { path: "src/run.js", line: 7, body: "`exec` with a shell string built from input." },
  { path: "src/eval.js", line: 2, body: "`eval` of request data." },
];

describe("executeTask: a scheduled automation with output: issue", { timeout: RUN_TIMEOUT_MS }, () => {
  it("opens one issue listing each finding with file and line, signed with the automation and how to turn it off", async () => {
    const harness = await automationRepo();
    // A person's issue quoting the marker is not the automation's issue.
    const quoted = github.openIssue(harness.repo, {
      title: "Quote",
      body: automationMarker("weekly-scan"),
      user: "mallory",
    });
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async (options) => {
        expect(options.task.reportsFindings).toBe(true);
        expect(options.task.body).toContain("Look for eval");
        return agentResult({ summary: "Checked src/.", verification: undefined, reviewComments: FINDINGS });
      },
    );
    const opened = github.state.issues.filter((i) => i.repo === harness.repo && i !== quoted);
    expect(opened).toHaveLength(1);
    const issue = opened[0]!;
    expect(issue).toMatchObject({ title: "Weekly risky-pattern scan", user: { login: BOT } });
    expect(github.commentsOn(quoted)).toEqual([]);
    const url = `${github.url}/acme/${harness.repo.name}/issues/${issue.number}`;
    expect(outcome.message).toContain(`opened ${url} with 2 findings`);
    const body = issue.body ?? "";
    expect(body).toContain("- `src/eval.js:2`: `eval` of request data.");
    expect(body.indexOf("src/eval.js:2")).toBeLessThan(body.indexOf("src/run.js:7"));
    expect(body).toContain("`automations.tasks.weekly-scan`");
    expect(body).toContain("To turn it off");
    expect(body).toContain(automationMarker("weekly-scan"));
    expect(harness.summary[0]).toBe(`# inhouse: automation weekly-scan in acme/${harness.repo.name}`);
    expect(sh(harness.repo.gitDir, "branch", "--list", "agent/*").trim()).toBe("");
    expect(harness.calls()).toEqual(
      expect.arrayContaining([
        ...REPO_READS,
        "GET /repos/{owner}/{repo}/issues",
        "POST /repos/{owner}/{repo}/issues",
      ]),
    );
  });

  it("comments on the automation's open issue instead of opening a second one", async () => {
    const harness = await automationRepo();
    harness.repo.nextNumber = 41;
    const own = github.openIssue(harness.repo, {
      title: "Weekly risky-pattern scan",
      body: `x\n${automationMarker("weekly-scan")}`,
      user: BOT,
    });
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async () => agentResult({ verification: undefined, reviewComments: FINDINGS }),
    );
    const comments = github.commentsOn(own);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("`src/run.js:7`");
    expect(outcome.message).toContain(
      `commented on ${github.url}/acme/${harness.repo.name}/issues/41 with 2 findings`,
    );
    expect(github.state.issues.filter((i) => i.repo === harness.repo)).toEqual([own]);
    expect(harness.calls()).toEqual(
      expect.arrayContaining([...REPO_READS, "GET /repos/{owner}/{repo}/issues"]),
    );
  });

  it("writes nothing to GitHub when nothing was found, and the job summary says so", async () => {
    const harness = await automationRepo();
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async () => agentResult({ verification: undefined, reviewComments: [] }),
    );
    expect(outcome.state).toBe("succeeded");
    expect(outcome.message).toContain("nothing to report, so no issue was opened or updated");
    expect(harness.summary.join("\n")).toContain("nothing to report");
    expect(harness.calls()).toEqual(expect.arrayContaining(REPO_READS));
    expect(harness.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });
});

describe("executeTask: a scheduled automation with output: pull-request", { timeout: RUN_TIMEOUT_MS }, () => {
  it("runs with the automation's own model profile and limits", async () => {
    const harness = await automationRepo();
    const outcome = await harness.runAutomation(
      { automation: "dependency-update", event: "schedule", actor: "octocat" },
      async (options) => {
        expect(options.limits.turns).toBe(12);
        return agentResult();
      },
    );
    expect(harness.profiles).toEqual(["small"]);
    expect(outcome.message).toContain("the agent made no changes, so nothing was opened");
    expect(harness.calls()).toEqual(
      expect.arrayContaining([...REPO_READS, "GET /repos/{owner}/{repo}/pulls"]),
    );
  });

  it("adds a commit to its open PR's branch, on top of a person's commit there, and answers in that PR", async () => {
    const harness = await automationRepo({ files: { "package.json": '{ "version": "1.0.0" }\n' } });
    const { repo } = harness;
    const branch = "agent/automation-deps";
    await github.commit(repo, branch, { "package.json": '{ "version": "1.1.0" }\n' }, "first run");
    const human = await github.commit(repo, branch, { "NOTES.md": "pinned on purpose\n" }, "a person's fix");
    // alice's pull request of the same branch (into another base, as GitHub allows one open PR per
    // head and base) carries the marker but is not the App's; #9 is the automation's.
    await github.commit(repo, "release", { "RELEASE.md": "1.x\n" }, "release branch");
    repo.nextNumber = 8;
    pull("alice", "release", automationMarker("dependency-update"));
    const ours = pull(BOT, "main", `Update\n\n${automationMarker("dependency-update")}`);
    const outcome = await harness.runAutomation(
      { automation: "dependency-update", event: "schedule", actor: "octocat" },
      async (options) => {
        expect(options.task.body).toContain("open pull request #9");
        expect((await options.sandbox.readFile("NOTES.md")).toString()).toBe("pinned on purpose\n");
        await options.sandbox.writeFile("package.json", '{ "version": "1.2.0" }\n');
        return agentResult();
      },
    );
    expect(outcome, outcome.message).toMatchObject({ state: "succeeded", prNumber: 9 });
    const log = sh(repo.gitDir, "log", "--format=%s", branch).trim().split("\n");
    expect(log.slice(1, 3)).toEqual(["a person's fix", "first run"]);
    expect(sh(repo.gitDir, "rev-parse", `${branch}~1`).trim()).toBe(human);
    expect(sh(repo.gitDir, "show", `${branch}:package.json`)).toBe('{ "version": "1.2.0" }\n');
    const replies = github.commentsOn(ours);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("Automation `dependency-update` (schedule) pushed");
    expect(harness.calls()).toEqual(
      expect.arrayContaining([
        ...REPO_READS,
        "GET /repos/{owner}/{repo}/pulls",
        "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      ]),
    );

    function pull(user: string, base: string, body: string): PullIssue {
      return github.state.createIssue(repo, {
        title: "Update dependencies",
        body,
        user: github.state.user(user),
        pull: { headRef: branch, baseRef: base, draft: false, merged: false },
      }) as PullIssue;
    }
  });
});

describe("executeTask: who may start an automation", { timeout: RUN_TIMEOUT_MS }, () => {
  it("refuses a manual dispatch by a user below permissions.minimum, before any code is fetched", async () => {
    const harness = await automationRepo();
    github.addCollaborator(harness.repo, "bob", "write");
    const outcome = await harness.runAutomation(
      { automation: "dependency-update", event: "workflow_dispatch", actor: "bob" },
      async () => {
        throw new Error("the agent must not run");
      },
    );
    expect(outcome.state).toBe("refused");
    expect(outcome.message).toContain("@bob dispatched automation 'dependency-update' with write permission");
    expect(outcome.message).toContain("requires maintain (permissions.minimum)");
    expect(harness.sandboxes).toHaveLength(0);
    expect(harness.calls()).toEqual(
      expect.arrayContaining([
        ...REPO_READS,
        "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      ]),
    );
  });

  it("refuses a task input that claims to be a scheduled automation (only the run's own event says so)", async () => {
    const harness = await automationRepo();
    // The task authenticity check (core/task-authenticity.ts) refuses it before anything is read or written.
    await expect(
      harness.run(
        {
          v: 1,
          kind: "automation",
          repo: { owner: "acme", name: harness.repo.name },
          automation: "dependency-update",
          trigger: { event: "schedule", delivery: "forged", actor: "admin", at: "2026-11-20T10:00:00Z" },
        },
        async () => {
          throw new Error("the agent must not run");
        },
      ),
    ).rejects.toThrow(/not dispatched by the inhouse App[\s\S]*Nothing was written/);
    expect(harness.sandboxes).toHaveLength(0);
    expect(harness.requests()).toEqual([]);
  });

  it("refuses to run on any other event, and the job summary says why", async () => {
    const harness = await automationRepo();
    await expect(
      harness.runAutomation({ automation: "dependency-update", event: "push", actor: "bob" }, async () => {
        throw new Error("the agent must not run");
      }),
    ).rejects.toThrow("runs only on schedule or workflow_dispatch");
    expect(harness.summary.join("\n")).toContain("ran on the event 'push'");
    expect(harness.requests()).toEqual([]);
  });

  it("an automation the config does not define is refused with the names it does define", async () => {
    const harness = await automationRepo();
    const outcome = await harness.runAutomation(
      { automation: "weekly-dpes", event: "schedule", actor: "octocat" },
      async () => {
        throw new Error("the agent must not run");
      },
    );
    expect(outcome.message).toContain("defined: weekly-scan, dependency-update");
    expect(harness.calls()).toEqual(expect.arrayContaining(REPO_READS));
  });

  it("a config error inside an automation ends the run with the key named in the job summary", async () => {
    const harness = await automationRepo({ config: CONFIG.replace("output: issue", "outptu: issue") });
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async () => {
        throw new Error("the agent must not run");
      },
    );
    expect(outcome.state).toBe("failed");
    const summary = harness.summary.join("\n");
    expect(summary).toContain("automations.tasks.weekly-scan.outptu");
    expect(summary).toContain("did you mean 'output'?");
    expect(harness.calls()).toEqual(expect.arrayContaining(REPO_READS));
  });
});
