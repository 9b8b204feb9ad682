/**
 * `issues.labeled` on the local GitHub: a person labels an issue, GitHub delivers the signed
 * webhook, and the tests read what GitHub then holds (status comments, reactions, dispatched runs)
 * and which requests the App made.
 */
import { describe, expect, it } from "vitest";
import { parseTask } from "../../core/task.ts";
import type { RunRecord } from "../e2e/local-github/state.ts";
import { ALICE, appOnLocalGitHub, OWNER, ROUTE, type Scene, statusBody } from "./app-scene.ts";

const NOW = new Date("2026-01-02T03:04:05.000Z");

/** The workflow runs dispatched in the scene's repository. */
function runsOf(scene: Scene): RunRecord[] {
  return scene.github.state.runs.filter((run) => run.repo === scene.repo);
}

describe("issues.labeled", () => {
  const local = appOnLocalGitHub({ app: { now: () => NOW } });
  /** How many `issues.labeled` deliveries the App has counted with `outcome` (its metrics span the file). */
  const counted = (outcome: string) => local.app.metrics.deliveries.get({ event: "issues.labeled", outcome });

  it("dispatches a fix-issue task with one status comment and records the run", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    const dispatchedBefore = counted("dispatched");
    const okBefore = local.app.metrics.dispatches.get({ kind: "fix-issue", result: "ok" });

    const delivery = await scene.label(issue);

    const [status, ...more] = scene.statuses(issue);
    expect(more).toEqual([]);
    const { run: runLink, ...marker } = status?.marker ?? {};
    expect(marker).toEqual({
      v: 1,
      task: { kind: "fix-issue", number: issue.number },
      delivery: delivery.id,
      actor: ALICE,
      state: "queued",
    });
    const [run, ...otherRuns] = runsOf(scene);
    expect(otherRuns).toEqual([]);
    expect(run?.headBranch).toBe("main");
    expect(Object.keys(run?.inputs ?? {})).toEqual(["task"]);
    expect(parseTask(run?.inputs.task ?? "")).toEqual({
      ok: true,
      value: {
        v: 1,
        kind: "fix-issue",
        repo: { owner: OWNER, name: scene.repo.name },
        number: issue.number,
        trigger: { event: "issues", delivery: delivery.id, actor: ALICE, at: NOW.toISOString() },
        statusCommentId: status?.comment.id,
      },
    });
    // The App asked for the run's details and wrote the run into its status comment.
    const runUrl = `${scene.github.url}/${OWNER}/${scene.repo.name}/actions/runs/${run?.id}`;
    expect(runLink).toEqual({ id: run?.id, repo: `${OWNER}/${scene.repo.name}`, url: runUrl });
    expect(status?.comment.body).toContain(`[#${run?.id}](${runUrl})`);
    expect(
      scene.github.state.reactions.filter(
        (reaction) => reaction.subject.kind === "issue" && reaction.subject.issue === issue,
      ),
    ).toMatchObject([{ content: "eyes", user: { login: `${scene.github.app.slug}[bot]` } }]);
    expect(counted("dispatched")).toBe(dispatchedBefore + 1);
    expect(local.app.metrics.dispatches.get({ kind: "fix-issue", result: "ok" })).toBe(okBefore + 1);
  });

  it("ignores other labels after reading the configured one", async () => {
    const scene = await local.scene({ config: "trigger:\n  label: robot\n" });
    const issue = scene.openIssue();
    const before = counted("ignored");
    await scene.label(issue, { label: "agent" });
    expect(scene.appRequests()).toEqual([ROUTE.readFile]);
    expect(counted("ignored")).toBe(before + 1);
  });

  it("uses the configured label", async () => {
    const scene = await local.scene({ config: "trigger:\n  label: robot\n", role: "admin" });
    const issue = scene.openIssue();
    // A task for this issue is already running: the re-added label starts nothing and says nothing.
    scene.appWrote(issue, statusBody(issue.number, { state: "running" }));
    await scene.label(issue, { label: "robot" });
    expect(scene.appRequests()).toEqual([ROUTE.readFile, ROUTE.readPermission, ROUTE.listComments]);
    expect(scene.appComments(issue)).toHaveLength(1);
    expect(runsOf(scene)).toEqual([]);
  });

  it("starts nothing for a redelivered webhook (same delivery id in a status marker)", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    const first = await scene.label(issue);
    const [run] = runsOf(scene);
    if (!run) throw new Error("the first delivery dispatched no run");
    // The run ends without the action reporting, so the App ends the task's status itself.
    await scene.github.completeRun(run, "success");
    await scene.settle();
    expect(scene.statuses(issue).map(({ marker }) => [marker.delivery, marker.state])).toEqual([
      [first.id, "failed"],
    ]);
    const before = counted("duplicate");
    const since = scene.mark();

    await scene.github.redeliver(first);
    await scene.settle();

    expect(scene.appWrites(since)).toEqual([]);
    expect(scene.statuses(issue)).toHaveLength(1);
    expect(runsOf(scene)).toHaveLength(1);
    expect(counted("duplicate")).toBe(before + 1);
  });

  it("trusts no marker written by someone other than the App", async () => {
    const scene = await local.scene();
    const issue = scene.openIssue();
    // Anyone can paste a status marker into a comment; only the App's own comments count.
    scene.github.state.createComment(
      issue,
      statusBody(issue.number, { state: "running" }),
      scene.github.state.user("mallory"),
    );
    const before = counted("dispatched");
    await scene.label(issue);
    expect(scene.statuses(issue)).toHaveLength(1);
    expect(runsOf(scene)).toHaveLength(1);
    expect(counted("dispatched")).toBe(before + 1);
  });

  it("answers an invalid config with its exact errors", async () => {
    const scene = await local.scene({
      config: "permissions:\n  minimum: triage\nlimits:\n  turnz: 3\n",
    });
    const issue = scene.openIssue();
    const before = counted("invalid-config");
    await scene.label(issue);
    const [answer, ...more] = scene.appComments(issue);
    expect(more).toEqual([]);
    expect(answer?.body).toContain("`.github/agent.yml` on `main` is invalid");
    expect(answer?.body).toContain(
      "permissions.minimum: expected write, maintain or admin; triage and read cannot be minimums for commands that change code",
    );
    expect(answer?.body).toContain("limits.turnz: unknown key; did you mean 'turns'?");
    expect(runsOf(scene)).toEqual([]);
    expect(counted("invalid-config")).toBe(before + 1);
  });
});
