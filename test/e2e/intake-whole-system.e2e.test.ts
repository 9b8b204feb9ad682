import { afterAll, beforeAll, expect, it } from "vitest";
import { INTAKE_PATHS } from "../../app/intake/routes.ts";
import { describeDocker } from "../helpers/docker.ts";
import { sendSentryWebhook, sentryEventAlert } from "../helpers/sentry-double.ts";
import { sendSlashCommand } from "../helpers/slack-double.ts";
import { type SlackResponseDouble, startSlackResponseDouble } from "../helpers/slack-response-double.ts";
import { BUG, scenarioOneScript, systemWithWidget } from "./helpers/scenario-one.ts";
import { expectCleanSystem, runLogs, statusComments } from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import type { IssueRecord, RepoRecord } from "./local-github/state.ts";

/**
 * Outside signals through the whole system: the real App (Probot), the committed action bundle on
 * the test runner, the real Docker sandbox and the scripted model, against the local GitHub. A
 * signed Sentry alert, and a signed Slack command, each end in a pull request with the fix; Slack
 * is answered again with that pull request's link.
 */
const SCENARIO_TIMEOUT_MS = 240_000;
const SENTRY_SECRET = "sentry-client-secret-whole-system";
const SLACK_SECRET = "slack-signing-secret-whole-system";

describeDocker("whole system: Sentry alert and Slack command → issue → task → PR", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let slack: SlackResponseDouble;

  beforeAll(async () => {
    slack = await startSlackResponseDouble();
    ({ system, repo } = await systemWithWidget({
      intake: (owner) => ({
        sentrySecret: SENTRY_SECRET,
        slackSecret: SLACK_SECRET,
        sentry: { projects: { "widget-web": { repo: `${owner}/widget`, actor: "alice" } } },
        slack: { users: { U0ALICE: "alice" } },
      }),
    }));
  });

  afterAll(async () => {
    await system?.close();
    await slack?.close();
  });

  const issues = () => system.github.state.issues.filter((i) => i.repo === repo && !i.pull);

  /** The PR the agent opened for an issue: `Closes #N`, the fix on its branch, a terminal status. */
  async function expectFixFor(issue: IssueRecord) {
    const pulls = system.github.pulls(repo).filter((p) => p.body?.includes(`Closes #${issue.number}`));
    expect(pulls, runLogs(system)).toHaveLength(1);
    const pull = pulls[0]!;
    expect(pull.user.login).toBe(system.github.credentials.botLogin);
    expect(pull.pull.baseRef).toBe("main");
    expect(await system.github.readFile(repo, pull.pull.headRef, BUG.path)).toContain(BUG.fixed);
    const statuses = statusComments(system, issue);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.marker.state).toBe("succeeded");
    expect(statuses[0]!.marker.usage).toMatchObject({ pr: pull.number, verification: "passed" });
    expect(statuses[0]!.text).toContain(`/${repo.owner.login}/widget/pull/${pull.number}`);
    return pull;
  }

  it(
    "a signed Sentry alert opens a labelled issue, the action runs in the sandbox and opens the PR",
    async () => {
      system.model.push(...scenarioOneScript());
      const response = await sendSentryWebhook(`${system.app.url}${INTAKE_PATHS.sentry}`, {
        resource: "event_alert",
        secret: SENTRY_SECRET,
        payload: sentryEventAlert({
          issueId: "7001",
          project: "widget-web",
          title: "AssertionError: sum(2, 3) returned -1",
          culprit: "sum(src/sum.js)",
          exception: { type: "AssertionError", value: "sum(2, 3) returned -1" },
          frames: [{ filename: "src/sum.js", function: "sum", lineno: 2, colno: 3, in_app: true }],
        }),
      });
      expect(response.status).toBe(202);
      await system.settle();

      expect(issues()).toHaveLength(1);
      const issue = issues()[0]!;
      expect(issue.labels).toEqual(["agent", "sentry"]);
      expect(issue.body).toContain("at sum (src/sum.js:2:3)");
      await expectFixFor(issue);
      const run = system.github.state.runs.at(-1)!;
      expect(JSON.parse(run.inputs.task!).trigger).toMatchObject({ actor: "alice", event: "sentry" });
      expect(run.conclusion).toBe("success");
      expect(system.model.remaining).toBe(0);
      await expectCleanSystem(system, repo);
      const recorded = await system.app.store.db.selectFrom("runs").selectAll().execute();
      expect(recorded.map((r) => [r.number, r.trigger_event, r.state])).toEqual([
        [issue.number, "sentry", "succeeded"],
      ]);
    },
    SCENARIO_TIMEOUT_MS,
  );

  it(
    "a signed Slack command opens an issue, the action opens the PR, and Slack gets the PR link",
    async () => {
      system.model.push(...scenarioOneScript());
      const responseUrl = slack.newResponseUrl();
      const response = await sendSlashCommand(`${system.app.url}${INTAKE_PATHS.slack}`, {
        secret: SLACK_SECRET,
        userId: "U0ALICE",
        text: `${repo.owner.login}/widget: sum(2, 3) is -1, make the test pass`,
        responseUrl,
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { text: string }).text).toMatch(/Opened <.*\/issues\/\d+\|/);
      await system.settle();

      const issue = issues().find((i) => i.labels.includes("slack"))!;
      expect(issue, runLogs(system)).toBeDefined();
      const pull = await expectFixFor(issue);
      const messages = slack.messages.filter((m) => m.url === responseUrl);
      expect(messages.map((m) => m.body.text)).toEqual([
        `The agent opened <${system.github.url}/${repo.owner.login}/widget/pull/${pull.number}|${repo.owner.login}/widget#${pull.number}> for <${system.github.url}/${repo.owner.login}/widget/issues/${issue.number}|${repo.owner.login}/widget#${issue.number}>.`,
      ]);
      expect(slack.refused).toEqual([]);
      expect(system.app.slackLog).toEqual([]);
      await expectCleanSystem(system, repo);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
