import nock from "nock";
import { describe, expect, it } from "vitest";
import { automationMarker } from "../../../action/automation/automation-threads.ts";
import { API } from "../github/fixtures.ts";
import { sh } from "../workspace/origin.ts";
import { agentResult, createHarness, REPO } from "./harness.ts";

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

const BOT = { login: "inhouse[bot]", type: "Bot" };

/** The repository and its config, as every automation run reads them first. */
function repoScope(config = CONFIG) {
  return nock(API)
    .get(REPO)
    .reply(200, { default_branch: "main" })
    .get(`${REPO}/contents/.github%2Fagent.yml`)
    .query({ ref: "main" })
    .reply(200, { type: "file", content: Buffer.from(config).toString("base64"), encoding: "base64" });
}

const FINDINGS = [
  { path: "src/run.js", line: 7, body: "`exec` with a shell string built from input." },
  { path: "src/eval.js", line: 2, body: "`eval` of request data." },
];

describe("executeTask: a scheduled automation with output: issue", () => {
  it("opens one issue listing each finding with file and line, signed with the automation and how to turn it off", async () => {
    const harness = await createHarness();
    let body = "";
    const scope = repoScope()
      .get(`${REPO}/issues`)
      .query({ state: "open", per_page: "100" })
      .reply(200, [
        // A person's issue quoting the marker is not the automation's issue.
        {
          number: 3,
          html_url: "x",
          user: { login: "mallory", type: "User" },
          body: automationMarker("weekly-scan"),
        },
      ])
      .post(`${REPO}/issues`, (b) => {
        body = b.body;
        return b.title === "Weekly risky-pattern scan";
      })
      .reply(201, { number: 50, html_url: "https://github.com/acme/widgets/issues/50" });
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async (options) => {
        expect(options.task.reportsFindings).toBe(true);
        expect(options.task.body).toContain("Look for eval");
        return agentResult({ summary: "Checked src/.", verification: undefined, reviewComments: FINDINGS });
      },
    );
    expect(outcome.message).toContain("opened https://github.com/acme/widgets/issues/50 with 2 findings");
    expect(body).toContain("- `src/eval.js:2`: `eval` of request data.");
    expect(body.indexOf("src/eval.js:2")).toBeLessThan(body.indexOf("src/run.js:7"));
    expect(body).toContain("`automations.tasks.weekly-scan`");
    expect(body).toContain("To turn it off");
    expect(body).toContain(automationMarker("weekly-scan"));
    expect(harness.summary[0]).toBe("# inhouse: automation weekly-scan in acme/widgets");
    expect(sh(harness.origin.bare, "branch", "--list", "agent/*").trim()).toBe("");
    expect(scope.isDone()).toBe(true);
  });

  it("comments on the automation's open issue instead of opening a second one", async () => {
    const harness = await createHarness();
    const scope = repoScope()
      .get(`${REPO}/issues`)
      .query({ state: "open", per_page: "100" })
      .reply(200, [
        {
          number: 41,
          html_url: "https://github.com/acme/widgets/issues/41",
          user: BOT,
          body: `x\n${automationMarker("weekly-scan")}`,
        },
      ])
      .post(`${REPO}/issues/41/comments`, (b) => b.body.includes("`src/run.js:7`"))
      .reply(201, { id: 1, html_url: "https://github.com/acme/widgets/issues/41#issuecomment-1" });
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async () => agentResult({ verification: undefined, reviewComments: FINDINGS }),
    );
    expect(outcome.message).toContain(
      "commented on https://github.com/acme/widgets/issues/41 with 2 findings",
    );
    expect(scope.isDone()).toBe(true);
  });

  it("writes nothing to GitHub when nothing was found, and the job summary says so", async () => {
    const harness = await createHarness();
    const scope = repoScope();
    const outcome = await harness.runAutomation(
      { automation: "weekly-scan", event: "schedule", actor: "octocat" },
      async () => agentResult({ verification: undefined, reviewComments: [] }),
    );
    expect(outcome.state).toBe("succeeded");
    expect(outcome.message).toContain("nothing to report, so no issue was opened or updated");
    expect(harness.summary.join("\n")).toContain("nothing to report");
    expect(scope.isDone()).toBe(true);
  });
});

describe("executeTask: a scheduled automation with output: pull-request", () => {
  it("runs with the automation's own model profile and limits", async () => {
    const harness = await createHarness();
    const scope = repoScope().get(`${REPO}/pulls`).query({ state: "open", per_page: "100" }).reply(200, []);
    const outcome = await harness.runAutomation(
      { automation: "dependency-update", event: "schedule", actor: "octocat" },
      async (options) => {
        expect(options.limits.turns).toBe(12);
        return agentResult();
      },
    );
    expect(harness.profiles).toEqual(["small"]);
    expect(outcome.message).toContain("the agent made no changes, so nothing was opened");
    expect(scope.isDone()).toBe(true);
  });

  it("adds a commit to its open PR's branch, on top of a person's commit there, and answers in that PR", async () => {
    const harness = await createHarness({ "package.json": '{ "version": "1.0.0" }\n' });
    await harness.origin.commit(
      { "package.json": '{ "version": "1.1.0" }\n' },
      "first run",
      "agent/automation-deps",
    );
    const human = await harness.origin.commit(
      { "NOTES.md": "pinned on purpose\n" },
      "a person's fix",
      "agent/automation-deps",
    );
    sh(harness.origin.work, "checkout", "-q", "main");
    let reply = "";
    const scope = repoScope()
      .get(`${REPO}/pulls`)
      .query({ state: "open", per_page: "100" })
      .reply(200, [
        pull(8, "agent/automation-deps", human, { login: "alice", type: "User" }), // no marker of ours
        pull(9, "agent/automation-deps", human, BOT),
      ])
      .post(`${REPO}/issues/9/comments`, (b) => {
        reply = b.body;
        return true;
      })
      .reply(201, { id: 2, html_url: "https://github.com/acme/widgets/pull/9#issuecomment-2" });
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
    const log = sh(harness.origin.bare, "log", "--format=%s", "agent/automation-deps").trim().split("\n");
    expect(log.slice(1, 3)).toEqual(["a person's fix", "first run"]);
    expect(sh(harness.origin.bare, "rev-parse", "agent/automation-deps~1").trim()).toBe(human);
    expect(reply).toContain("Automation `dependency-update` (schedule) pushed");
    expect(scope.isDone()).toBe(true);

    function pull(number: number, ref: string, sha: string, user: { login: string; type: string }) {
      return {
        number,
        user,
        body:
          user.type === "Bot"
            ? `Update\n\n${automationMarker("dependency-update")}`
            : automationMarker("dependency-update"),
        head: { ref, sha, repo: { full_name: "acme/widgets" } },
        base: { ref: "main", sha: "0".repeat(40) },
      };
    }
  });
});

describe("executeTask: who may start an automation", () => {
  it("refuses a manual dispatch by a user below permissions.minimum, before any code is fetched", async () => {
    const harness = await createHarness();
    const scope = repoScope()
      .get(`${REPO}/collaborators/bob/permission`)
      .reply(200, { permission: "write", role_name: "write" });
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
    expect(scope.isDone()).toBe(true);
  });

  it("refuses a task input that claims to be a scheduled automation (only the run's own event says so)", async () => {
    const harness = await createHarness();
    // The task authenticity check (core/task-authenticity.ts) refuses it before anything is read or written.
    await expect(
      harness.run(
        {
          v: 1,
          kind: "automation",
          repo: { owner: "acme", name: "widgets" },
          automation: "dependency-update",
          trigger: { event: "schedule", delivery: "forged", actor: "admin", at: "2026-11-20T10:00:00Z" },
        },
        async () => {
          throw new Error("the agent must not run");
        },
      ),
    ).rejects.toThrow(/not dispatched by the inhouse App[\s\S]*Nothing was written/);
    expect(harness.sandboxes).toHaveLength(0);
  });

  it("refuses to run on any other event, and the job summary says why", async () => {
    const harness = await createHarness();
    await expect(
      harness.runAutomation({ automation: "dependency-update", event: "push", actor: "bob" }, async () => {
        throw new Error("the agent must not run");
      }),
    ).rejects.toThrow("runs only on schedule or workflow_dispatch");
    expect(harness.summary.join("\n")).toContain("ran on the event 'push'");
  });

  it("an automation the config does not define is refused with the names it does define", async () => {
    const harness = await createHarness();
    const scope = repoScope();
    const outcome = await harness.runAutomation(
      { automation: "weekly-dpes", event: "schedule", actor: "octocat" },
      async () => {
        throw new Error("the agent must not run");
      },
    );
    expect(outcome.message).toContain("defined: weekly-scan, dependency-update");
    expect(scope.isDone()).toBe(true);
  });

  it("a config error inside an automation ends the run with the key named in the job summary", async () => {
    const harness = await createHarness();
    const scope = repoScope(CONFIG.replace("output: issue", "outptu: issue"));
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
    expect(scope.isDone()).toBe(true);
  });
});
