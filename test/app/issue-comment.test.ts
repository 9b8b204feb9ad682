/**
 * `issue_comment.created` on the local GitHub: a person comments on an issue or a pull request,
 * GitHub delivers the signed webhook, and the tests read what GitHub then holds (the App's
 * answers and status comments, reactions, dispatched runs) and which requests the App made.
 */
import { describe, expect, it } from "vitest";
import { octokitFor } from "../e2e/helpers/octokit.ts";
import type { PullIssue } from "../e2e/local-github/shapes/pull.ts";
import type { CommentRecord, IssueRecord } from "../e2e/local-github/state.ts";
import { ALICE, appOnLocalGitHub, OWNER, ROUTE, type Scene, statusBody } from "./app-scene.ts";

/** The comment GitHub holds for a delivered `issue_comment` webhook. */
function deliveredComment(scene: Scene, delivery: { payload: Record<string, unknown> }): CommentRecord {
  const id = (delivery.payload.comment as { id: number }).id;
  const comment = scene.github.state.comment(id);
  if (!comment) throw new Error(`no comment ${id}`);
  return comment;
}

/** The App's one comment on the thread (fails the test when it wrote none or more). */
function onlyAnswer(scene: Scene, issue: IssueRecord): string {
  const answers = scene.appComments(issue);
  expect(answers).toHaveLength(1);
  return answers[0]?.body ?? "";
}

/** alice's pull request from a branch `head` of her own, opened through the API (its webhook handled). */
async function openPull(scene: Scene, head: string): Promise<PullIssue> {
  await scene.github.commit(scene.repo, head, { [`${head}.txt`]: `${head}\n` }, `Add ${head}`);
  const { data } = await octokitFor(scene.github, scene.github.userToken(ALICE)).rest.pulls.create({
    owner: OWNER,
    repo: scene.repo.name,
    head,
    base: "main",
    title: `Add ${head}`,
  });
  await scene.settle();
  const pull = scene.github.pulls(scene.repo).find((candidate) => candidate.number === data.number);
  if (!pull) throw new Error(`no pull request #${data.number}`);
  return pull;
}

describe("issue_comment.created", () => {
  const local = appOnLocalGitHub();
  /** How many `issue_comment.created` deliveries the App has counted with `outcome` (its metrics span the file). */
  const counted = (outcome: string) =>
    local.app.metrics.deliveries.get({ event: "issue_comment.created", outcome });
  /** Every delivery the App has counted, whatever its event and outcome. */
  const countedAll = () => [...local.app.metrics.deliveries.values.values()].reduce((sum, n) => sum + n, 0);

  it("/agent fix on an issue dispatches fix-issue with the extra instructions", async () => {
    const scene = await local.scene({ role: "maintain" });
    const issue = scene.openIssue();
    const delivery = await scene.comment(issue, "/agent fix keep the public API\nand add a test");
    const command = deliveredComment(scene, delivery);

    const [status, ...moreStatuses] = scene.statuses(issue);
    expect(moreStatuses).toEqual([]);
    const [task, ...moreTasks] = scene.dispatchedTasks();
    expect(moreTasks).toEqual([]);
    expect(task).toMatchObject({
      kind: "fix-issue",
      number: issue.number,
      instructions: "keep the public API\nand add a test",
      trigger: { event: "issue_comment", delivery: delivery.id, actor: ALICE, commentId: command.id },
      statusCommentId: status?.comment.id,
    });
    // Dispatched on the default branch with the run's details asked for: the status names the run.
    const [run] = scene.github.state.runs.filter((candidate) => candidate.repo === scene.repo);
    expect(run?.headBranch).toBe("main");
    expect(status?.marker.run?.id).toBe(run?.id);
    expect(
      scene.github.state.reactions.filter(
        (reaction) => reaction.subject.kind === "comment" && reaction.subject.comment === command,
      ),
    ).toMatchObject([{ content: "eyes", user: { login: `${scene.github.app.slug}[bot]` } }]);
  });

  it("/agent fix on a pull request dispatches fix-pr; /agent review dispatches review", async () => {
    const scene = await local.scene();
    for (const [body, kind] of [
      ["/agent fix", "fix-pr"],
      ["/agent review focus on security", "review"],
    ] as const) {
      const pull = await openPull(scene, kind);
      await scene.comment(pull, body);
      expect(scene.dispatchedTasks().filter((task) => task.number === pull.number)).toMatchObject([{ kind }]);
      expect(scene.statuses(pull).map(({ marker }) => marker.task)).toEqual([{ kind, number: pull.number }]);
    }
  });

  it("/agent review on an issue explains where it works", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    await scene.comment(issue, "/agent review");
    expect(onlyAnswer(scene, issue)).toContain("`/agent review` works on pull requests");
    expect(scene.appWrites()).toEqual([ROUTE.createComment]);
    expect(scene.dispatchedTasks()).toEqual([]);
  });

  it("a second trigger while a task runs gets 'already running' with a link, not a second run", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    scene.appWrote(issue, statusBody(issue.number, { state: "succeeded", delivery: "older" }));
    const running = scene.appWrote(
      issue,
      statusBody(issue.number, { state: "running", run: { id: 3, repo: `${OWNER}/${scene.repo.name}` } }),
    );
    const runningUrl = `${scene.github.url}/${OWNER}/${scene.repo.name}/issues/${issue.number}#issuecomment-${running.id}`;
    const before = counted("busy");

    await scene.comment(issue, "/agent fix");

    const answers = scene.appComments(issue).filter((comment) => comment.id > running.id);
    expect(answers).toHaveLength(1);
    expect(answers[0]?.body).toContain("already running");
    expect(answers[0]?.body).toContain(runningUrl);
    expect(scene.dispatchedTasks()).toEqual([]);
    expect(counted("busy")).toBe(before + 1);
  });

  it("two deliveries at once start one task: the second sees the first one's status comment", async () => {
    const scene = await local.scene({ role: "admin" });
    const issue = scene.openIssue();
    await Promise.all([
      scene.github.userComment(issue, ALICE, "/agent fix"),
      scene.github.userComment(issue, ALICE, "/agent fix"),
    ]);
    await scene.settle();
    expect(scene.dispatchedTasks()).toHaveLength(1);
    expect(scene.statuses(issue)).toHaveLength(1);
    const others = scene
      .appComments(issue)
      .filter((comment) => comment !== scene.statuses(issue)[0]?.comment);
    expect(others).toHaveLength(1);
    expect(others[0]?.body).toContain("already running");
  });

  it.each([
    ["quoted", "> /agent fix\n\nI agree with the above"],
    ["fenced", "Try this:\n```\n/agent fix\n```"],
    ["inline code", "`/agent fix` is the command"],
    ["mid-sentence", "please run /agent fix"],
  ])("a %s command does not trigger", async (_kind, body) => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    const before = counted("ignored");
    await scene.comment(issue, body);
    // A fenced line starts with a slash, so the config is read before the grammar rejects it.
    expect(scene.appRequests()).toEqual(body.includes("```") ? [ROUTE.readFile] : []);
    expect(scene.appComments(issue)).toEqual([]);
    expect(counted("ignored")).toBe(before + 1);
  });

  it("an edited comment does not trigger", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    const comment = deliveredComment(scene, await scene.comment(issue, "Could the agent look at this?"));
    const since = scene.mark();
    const before = countedAll();
    // alice edits her comment in place: GitHub sends `issue_comment.edited`.
    await octokitFor(scene.github, scene.github.userToken(ALICE)).rest.issues.updateComment({
      owner: OWNER,
      repo: scene.repo.name,
      comment_id: comment.id,
      body: "/agent fix",
    });
    await scene.settle();
    expect(scene.github.deliveries().at(-1)).toMatchObject({ event: "issue_comment", action: "edited" });
    expect(scene.appRequests(since)).toEqual([]);
    expect(countedAll()).toBe(before);
    expect(local.app.metrics.render()).not.toContain("issue_comment.edited");
  });

  it("the App's own comments never trigger", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    const since = scene.mark();
    const before = counted("ignored");
    // A comment made with the App's installation token: GitHub names the App in it and delivers it.
    await octokitFor(scene.github, scene.github.installationToken()).rest.issues.createComment({
      owner: OWNER,
      repo: scene.repo.name,
      issue_number: issue.number,
      body: "/agent fix",
    });
    await scene.settle();
    expect(scene.appRequests(since)).toEqual([ROUTE.createComment]);
    expect(scene.dispatchedTasks()).toEqual([]);
    expect(counted("ignored")).toBe(before + 1);
  });

  it("uses the configured command prefix", async () => {
    const scene = await local.scene({ config: "trigger:\n  command: /bot\n" });
    const issue = scene.openIssue();
    await scene.comment(issue, "/bot fix");
    expect(scene.dispatchedTasks()).toMatchObject([{ kind: "fix-issue", number: issue.number }]);
    expect(scene.statuses(issue)).toHaveLength(1);
  });

  it("answers an invalid config with the exact errors to a writer", async () => {
    const scene = await local.scene({ config: "model:\n  endpoint: http://evil\n" });
    const issue = scene.openIssue();
    const before = counted("invalid-config");
    await scene.comment(issue, "/agent fix");
    expect(onlyAnswer(scene, issue)).toContain(
      "model.endpoint: not allowed in .github/agent.yml: model endpoints and keys are runner-side settings",
    );
    expect(scene.dispatchedTasks()).toEqual([]);
    expect(counted("invalid-config")).toBe(before + 1);
  });

  it("says nothing about an invalid config to someone who could not run the command", async () => {
    const scene = await local.scene({ config: "nope: 1\n", role: "read" });
    const issue = scene.openIssue();
    await scene.comment(issue, "/agent fix");
    expect(scene.appRequests()).toEqual([ROUTE.readFile, ROUTE.readPermission]);
    expect(scene.appComments(issue)).toEqual([]);
  });

  it("/agent help answers with the commands and the effective config", async () => {
    const scene = await local.scene({ config: "limits:\n  turns: 12\n", role: "read" });
    const issue = scene.openIssue();
    const before = counted("answered");
    await scene.comment(issue, "/agent help");
    const answer = onlyAnswer(scene, issue);
    expect(answer).toContain("`/agent fix [instructions]`");
    expect(answer).toContain("`/agent stop`");
    expect(answer).toContain("Effective configuration (from `.github/agent.yml`)");
    expect(answer).toMatch(/turns: 12/);
    expect(answer).toMatch(/minimum: write/);
    expect(counted("answered")).toBe(before + 1);
  });

  it("an unknown subcommand is answered with help", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    await scene.comment(issue, "/agent frobnicate");
    const answer = onlyAnswer(scene, issue);
    expect(answer.startsWith("Unknown command `frobnicate`")).toBe(true);
    expect(answer).toContain("defaults: no");
    expect(scene.dispatchedTasks()).toEqual([]);
  });
});
