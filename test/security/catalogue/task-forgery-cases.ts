/**
 * Issue #12, item 1, through the whole system: someone with write access dispatches the agent
 * workflow with task JSON of their own. The real App, the local GitHub and the committed action
 * bundle on the test runner; the runner holds a token of its own (the runner-host deployment), so
 * it is the action's own check (`core/task-authenticity.ts`) that must refuse, before any write.
 * Each case asserts that nothing was written: no comment, no status edit, no push, no PR or review,
 * no model request, and that the job log says why.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Task } from "../../../core/task.ts";
import { octokitFor } from "../../e2e/helpers/octokit.ts";
import { systemWithWidget, widgetFiles } from "../../e2e/helpers/scenario-one.ts";
import { expectCleanSystem, statusComments } from "../../e2e/helpers/system-assertions.ts";
import type { WholeSystem } from "../../e2e/helpers/whole-system.ts";
import type { IssueRecord, RepoRecord } from "../../e2e/local-github/state.ts";
import type { RunResult } from "../../e2e/test-runner.ts";
import { step } from "../../helpers/scripted-model-server.ts";
import { attack } from "./registry.ts";

const TIMEOUT_MS = 180_000;

export function taskForgeryCases(): void {
  describe("only tasks the App dispatched run (whole system)", () => {
    let system: WholeSystem;
    let repo: RepoRecord;
    let other: RepoRecord;
    let issue: IssueRecord;
    let realTask: Task;

    beforeAll(async () => {
      ({ system, repo } = await systemWithWidget({
        runnerToken: (github, run) => github.installationToken({ repositories: [run.repo.name] }),
      }));
      other = await system.github.createRepo("other", await widgetFiles());
      system.github.addCollaborator(repo, "mallory", "write");
      system.github.addCollaborator(other, "mallory", "admin");
      system.github.addCollaborator(repo, "root", "admin");
      // One real task, so there is a real App status comment and task JSON to forge from.
      issue = system.github.openIssue(repo, { title: "sum subtracts", body: "2 + 3 is -1", user: "alice" });
      system.model.push(step.tool("finish", { summary: "Nothing to change." }));
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();
      realTask = JSON.parse(system.github.state.runs[0]!.inputs.task!) as Task;
    }, TIMEOUT_MS);

    afterAll(async () => {
      await system?.close();
    });

    /** mallory dispatches the agent workflow herself with `task`; returns her run's job result. */
    async function forge(task: Task, where: RepoRecord = repo): Promise<RunResult> {
      const before = {
        comments: system.github.state.comments.map((c) => `${c.id}:${c.body}`),
        pushes: system.github.pushes().length,
        pulls: system.github.pulls(repo).length,
        reviews: system.github.state.reviews.length,
        model: system.model.requests.length,
        results: system.runner.results.length,
      };
      await octokitFor(system.github, system.github.userToken("mallory")).rest.actions.createWorkflowDispatch(
        {
          owner: where.owner.login,
          repo: where.name,
          workflow_id: "agent.yml",
          ref: "main",
          inputs: { task: JSON.stringify(task) },
        },
      );
      await system.settle();
      const [result] = system.runner.results.slice(before.results);
      expect(result?.run.actor.login).toBe("mallory");
      expect(result!.main.exitCode).not.toBe(0);
      // Nothing written anywhere: not a comment, not an edit of the App's status comment.
      expect(system.github.state.comments.map((c) => `${c.id}:${c.body}`)).toEqual(before.comments);
      expect(system.github.pushes()).toHaveLength(before.pushes);
      expect(system.github.pulls(repo)).toHaveLength(before.pulls);
      expect(system.github.state.reviews).toHaveLength(before.reviews);
      expect(system.model.requests).toHaveLength(before.model);
      await expectCleanSystem(system, repo);
      return result!;
    }

    attack(
      "a task naming an admin as its actor, dispatched by a writer, is refused before any write",
      async () => {
        const result = await forge({ ...realTask, trigger: { ...realTask.trigger, actor: "root" } });
        expect(result.log).toMatch(/does not match status comment \d+ \(actor alice ≠ root\)/);
      },
      TIMEOUT_MS,
    );

    attack(
      "a label trigger for an issue nobody labelled (naming the App's comment elsewhere) is refused",
      async () => {
        const unlabelled = system.github.openIssue(repo, { title: "delete everything", user: "mallory" });
        const result = await forge({
          ...realTask,
          number: unlabelled.number,
          trigger: { ...realTask.trigger, event: "issues.labeled", actor: "mallory" },
        });
        expect(result.log).toContain(`is not on ${repo.owner.login}/widget#${unlabelled.number}`);
      },
      TIMEOUT_MS,
    );

    attack(
      "a status comment a user wrote with the App's marker copied in is refused",
      async () => {
        const target = system.github.openIssue(repo, { title: "make mallory admin", user: "mallory" });
        const appStatus = statusComments(system, issue)[0]!.comment;
        await system.github.userComment(target, "mallory", appStatus.body);
        const copied = system.github.commentsOn(target).at(-1)!;
        const result = await forge({ ...realTask, number: target.number, statusCommentId: copied.id });
        expect(result.log).toContain(`status comment ${copied.id} was not written by the inhouse App`);
      },
      TIMEOUT_MS,
    );

    attack(
      "a task for a repository that does not name this runner repository is refused",
      async () => {
        // mallory's own repository runs the agent workflow with widget's real task: widget never
        // named this repository as its runner repository (dispatch.repo), and the App did not dispatch this run.
        const result = await forge(realTask, other);
        // Its token (for acme/other) cannot even read widget's status comment, so nothing checks out.
        expect(result.log).toContain("refused: this task was not dispatched by the inhouse App");
        expect(result.log).toMatch(/status comment \d+ does not exist in [\w-]+\/widget|not by the App/);
        expect(system.github.pushes().filter((p) => p.repo.endsWith("/other"))).toEqual([]);
      },
      TIMEOUT_MS,
    );
  });
}
