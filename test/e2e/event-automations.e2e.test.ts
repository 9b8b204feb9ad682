import { afterAll, beforeAll, expect } from "vitest";
import { FAILED_CHECK_FOLLOW_UP } from "../../app/follow-ups/failed-check-follow-ups.ts";
import { describeDocker } from "../helpers/docker.ts";
import { step, transcript } from "../helpers/scripted-model-server.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { BUG, scenarioOneScript, systemWithWidget, TEST_COMMAND } from "./helpers/scenario-one.ts";
import { cleanScenarios, runLogs, statusComments } from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * Issue 15, item 2 through the whole system: event automations the App starts from webhooks (a PR
 * opened, a failed check on the agent's own PR, a merged PR), on the widget repository of scenario
 * one, with the real App, the committed action bundle, the sandbox and the scripted model.
 */
const SCENARIO_TIMEOUT_MS = 240_000;

const CONFIG = [
  "commands:",
  `  test: ${TEST_COMMAND}`,
  "automations:",
  "  reviewPullRequests: true",
  "  fixFailedChecks: { maxPerPull: 1 }",
  "  tasks:",
  "    docs-follow-up:",
  "      event: merged-pull-request",
  "      description: Docs follow-up",
  "      instructions: Update README.md for the change the merged pull request made.",
  "",
].join("\n");

const FAILING = { title: "1 test failed", summary: "not ok 1 - adds two numbers: expected 5, got -1" };

describeDocker("whole system: event automations", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let userPull: PullIssue;
  let followedUp: PullIssue;

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
    await system.github.commit(repo, "main", { ".github/agent.yml": CONFIG }, "Turn on event automations");
  });

  afterAll(async () => {
    await system?.close();
  });

  /** The agent's own PR for an issue alice labels (scenario one's fix). */
  async function agentPull(title: string): Promise<PullIssue> {
    const issue = system.github.openIssue(repo, { title, body: "sum(2, 3) is -1", user: "alice" });
    system.model.push(...scenarioOneScript());
    await system.github.labelIssue(issue, "agent", "alice");
    await system.settle();
    const pull = system.github.pulls(repo).find((p) => p.body?.includes(`Closes #${issue.number}`));
    expect(pull, runLogs(system)).toBeDefined();
    return pull!;
  }

  const head = async (pull: PullIssue) => (await system.github.branches(repo)).get(pull.pull.headRef)!;
  const fail = async (pull: PullIssue) =>
    system.github.reportCheckRun(repo, {
      headSha: await head(pull),
      headBranch: pull.pull.headRef,
      name: "ci / test",
      conclusion: "failure",
      output: FAILING,
      appSlug: "octo-ci",
    });

  scenario("1. a pull request opened by a person gets one review", async () => {
    await system.github.commit(repo, "alice/docs", { "docs/sum.md": "sum adds\n" }, "Document sum");
    system.model.push(
      step.tool("read_file", { path: "docs/sum.md" }),
      step.tool("review_comment", { path: "docs/sum.md", line: 1, body: "Say what it returns." }),
      step.tool("finish", { summary: "One note on the wording." }),
    );
    const alice = octokitFor(system.github, system.github.userToken("alice"));
    const { data } = await alice.rest.pulls.create({
      owner: repo.owner.login,
      repo: repo.name,
      head: "alice/docs",
      base: "main",
      title: "Document sum",
    });
    await system.settle();
    userPull = system.github.pulls(repo).find((p) => p.number === data.number)!;
    const { reviews, comments } = system.github.reviewsOn(userPull);
    expect(reviews, runLogs(system)).toHaveLength(1);
    expect(comments.map((c) => [c.path, c.line])).toEqual([["docs/sum.md", 1]]);
    expect(statusComments(system, userPull).map((s) => [s.marker.task.kind, s.marker.state])).toEqual([
      ["review", "succeeded"],
    ]);
  });

  scenario(
    "2. a failed check on the agent's PR starts one follow-up that sees the failure; a failure on its push starts none (maxPerPull 1)",
    async () => {
      const pull = await agentPull("sum subtracts");
      followedUp = pull;
      const before = await head(pull);
      const firstRequest = system.model.requests.length;
      const runs = system.github.state.runs.length;
      system.model.push(
        step.tool("run", { command: TEST_COMMAND }),
        step.tool("edit_file", {
          path: "README.md",
          oldText: "# widget\n",
          newText: "# widget\n\nAdds numbers.\n",
        }),
        step.tool("finish", { summary: "Tests pass; noted what sum does." }),
      );
      expect((await fail(pull))?.status).toBe(200);
      await system.settle();
      expect(system.github.state.runs, runLogs(system)).toHaveLength(runs + 1);
      const statuses = statusComments(system, pull);
      expect(
        statuses.map((s) => [s.marker.task.kind, s.marker.task.automation, s.marker.actor, s.marker.state]),
      ).toEqual([["fix-pr", FAILED_CHECK_FOLLOW_UP, "alice", "succeeded"]]);
      const seen = transcript(system.model.requests[firstRequest]!);
      expect(seen).toContain('The check "ci / test" failed (failure)');
      expect(seen).toContain(FAILING.summary);
      const after = await head(pull);
      expect(after).not.toBe(before);

      // The follow-up's own push fails again: the cap (1) is reached, nothing more starts.
      await fail(pull);
      await system.settle();
      expect(system.github.state.runs).toHaveLength(runs + 1);
      expect(statusComments(system, pull)).toHaveLength(1);
    },
  );

  scenario("3. a failed check after a person pushed to the agent's PR starts no follow-up", async () => {
    const pull = await agentPull("sum still subtracts");
    await system.github.commit(repo, pull.pull.headRef, { "notes.md": "taking over\n" }, "My own change");
    const runs = system.github.state.runs.length;
    expect((await fail(pull))?.status).toBe(200);
    await system.settle();
    expect(system.github.state.runs).toHaveLength(runs);
    expect(statusComments(system, pull)).toEqual([]);
  });

  scenario("4. merging a pull request starts the merge automation, which opens a PR of its own", async () => {
    expect(userPull, "scenario 1 must open the PR first").toBeDefined();
    const firstRequest = system.model.requests.length;
    system.model.push(
      step.tool("edit_file", {
        path: "README.md",
        oldText: "# widget\n",
        newText: "# widget\n\nSee docs/sum.md for sum.\n",
      }),
      // main's own test fails (scenario one's bug); verification needs it green.
      step.tool("edit_file", { path: BUG.path, oldText: BUG.broken, newText: BUG.fixed }),
      step.tool("finish", { summary: "Linked the new docs from the README." }),
    );
    await system.github.mergePull(userPull, "alice");
    await system.settle();
    const followUp = system.github
      .pulls(repo)
      .find((p) => p.pull.headRef.startsWith(`agent/automation-docs-follow-up-${userPull.number}-`));
    expect(followUp, runLogs(system)).toBeDefined();
    expect(followUp!.title).toBe("Docs follow-up");
    expect(followUp!.body).toContain(`Follows up on #${userPull.number}`);
    expect(await system.github.readFile(repo, followUp!.pull.headRef, "README.md")).toContain("docs/sum.md");
    expect(transcript(system.model.requests[firstRequest]!)).toContain(
      `This follows up pull request #${userPull.number}`,
    );
    const statuses = statusComments(system, userPull);
    expect(statuses.at(-1)?.marker).toMatchObject({
      task: { kind: "automation", automation: "docs-follow-up", number: userPull.number },
      actor: "alice",
      state: "succeeded",
    });
    expect(await system.github.readFile(repo, "main", BUG.path)).toContain(BUG.broken);
  });

  /** A reviewer (alice) submits a review on the agent's PR through the REST API, as the web UI does. */
  async function submitReview(
    pull: PullIssue,
    body: string,
    comments: { path: string; line: number; body: string }[],
  ) {
    const alice = octokitFor(system.github, system.github.userToken("alice"));
    await alice.rest.pulls.createReview({
      owner: repo.owner.login,
      repo: repo.name,
      pull_number: pull.number,
      event: "COMMENT",
      body,
      comments,
    });
    await system.settle();
  }

  scenario("5. `/agent fix` in a review's body starts a fix-pr task that sees the review", async () => {
    expect(followedUp, "scenario 2 must open the agent's PR first").toBeDefined();
    const before = await head(followedUp);
    const firstRequest = system.model.requests.length;
    system.model.push(
      step.tool("edit_file", { path: "README.md", oldText: "Adds numbers.", newText: "Adds two numbers." }),
      step.tool("finish", { summary: "Reworded the README as the review asked." }),
    );
    await submitReview(followedUp, "Looks right.\n/agent fix say two numbers in the README", []);
    const seen = transcript(system.model.requests[firstRequest]!);
    expect(seen, runLogs(system)).toContain("say two numbers in the README");
    expect(seen).toContain("Asked by @alice in a pull request review (commented)");
    expect(await head(followedUp)).not.toBe(before);
    expect(statusComments(system, followedUp).at(-1)?.marker).toMatchObject({
      task: { kind: "fix-pr" },
      actor: "alice",
      state: "succeeded",
    });
  });

  scenario(
    "6. `/agent fix` on a line of the diff starts a fix-pr task that sees the file, the line and the comment",
    async () => {
      expect(followedUp, "scenario 2 must open the agent's PR first").toBeDefined();
      const firstRequest = system.model.requests.length;
      system.model.push(
        step.tool("edit_file", {
          path: BUG.path,
          oldText: BUG.fixed,
          newText: `${BUG.fixed} // adds`,
        }),
        step.tool("finish", { summary: "Commented the line as asked." }),
      );
      await submitReview(followedUp, "One note.", [
        { path: BUG.path, line: 2, body: "/agent fix add a short comment saying it adds" },
      ]);
      const seen = transcript(system.model.requests[firstRequest]!);
      expect(seen, runLogs(system)).toContain("add a short comment saying it adds");
      expect(seen).toContain(`in a review comment on \`${BUG.path}\` line 2 of this pull request`);
      expect(await system.github.readFile(repo, followedUp.pull.headRef, BUG.path)).toContain("// adds");
      expect(statusComments(system, followedUp).at(-1)?.marker.state).toBe("succeeded");
      // The agent answers in that thread, and resolves it: its commit changed the commented file.
      const root = system.github.state.reviewComments.find((c) =>
        c.body.startsWith("/agent fix add a short"),
      )!;
      const replies = system.github.state.reviewComments.filter((c) => c.inReplyTo === root.id);
      expect(replies.map((c) => c.user.login)).toEqual([system.github.credentials.botLogin]);
      expect(replies[0]!.body).toContain("Commented the line as asked.");
      expect(system.github.state.resolvedThreads.has(root.id)).toBe(true);
    },
  );
});
