import { afterAll, beforeAll, expect } from "vitest";
import { describeDocker } from "../helpers/docker.ts";
import { step } from "../helpers/scripted-model-server.ts";
import { octokitFor } from "./helpers/octokit.ts";
import { BUG, scenarioOneScript, systemWithWidget } from "./helpers/scenario-one.ts";
import { cleanScenarios, runLogs, statusComments } from "./helpers/system-assertions.ts";
import type { WholeSystem } from "./helpers/whole-system.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";
import type { RepoRecord } from "./local-github/state.ts";

const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * Issue #12, item 3: `/agent fix` on a pull request from a fork never makes the fork's commits a
 * branch of the base repository (its CI would run them with the base repository's secrets). With
 * maintainer edits the fix is pushed to the fork's own branch; without, it is suggested in a review.
 */
describeDocker("whole system: /agent fix on fork pull requests", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let fork: RepoRecord;
  let baseBranches: string[];

  /** fran's pull request from her fork: it touches the file the bug is in, so the fix lies in its diff. */
  async function forkPull(branch: string, maintainerCanModify: boolean): Promise<PullIssue> {
    const original = await system.github.readFile(repo, "main", BUG.path);
    await system.github.commit(
      fork,
      branch,
      { [BUG.path]: `// sum of two numbers\n${original}` },
      "Document sum",
    );
    const fran = octokitFor(system.github, system.github.userToken("fran"));
    const { data } = await fran.rest.pulls.create({
      owner: repo.owner.login,
      repo: repo.name,
      title: `Document sum (${branch})`,
      head: `fran:${branch}`,
      base: "main",
      maintainer_can_modify: maintainerCanModify,
    });
    return system.github.pulls(repo).find((pull) => pull.number === data.number)!;
  }

  const branchNames = async (of: RepoRecord) => [...(await system.github.branches(of)).keys()].sort();

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
    fork = await system.github.fork(repo, "fran");
    baseBranches = await branchNames(repo);
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  scenario(
    "with maintainer edits: the fix is pushed to the fork's branch, and nothing lands in the base repository",
    async () => {
      const pull = await forkPull("doc-sum", true);
      const before = (await system.github.branches(fork)).get("doc-sum")!;
      system.model.push(...scenarioOneScript());
      await system.github.userComment(pull, "alice", "/agent fix");
      await system.settle();

      const after = (await system.github.branches(fork)).get("doc-sum")!;
      expect(after, runLogs(system)).not.toBe(before);
      expect(await system.github.readFile(fork, "doc-sum", BUG.path)).toContain(BUG.fixed);
      expect(
        system.github
          .pushes()
          .filter((p) => !p.refused)
          .at(-1),
      ).toMatchObject({
        repo: "fran/widget",
        ref: "refs/heads/doc-sum",
        before,
        after,
        forced: false,
      });
      expect(await branchNames(repo)).toEqual(baseBranches);
      expect(system.github.pulls(repo)).toHaveLength(1);
      const statuses = statusComments(system, pull);
      expect(statuses.map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(statuses[0]!.text).toContain("pushed");
      expect(statuses[0]!.text).toContain("fran:doc-sum");
    },
  );

  scenario(
    "without maintainer edits: nothing is pushed anywhere; the fix is a suggestion and the status says why",
    async () => {
      const pull = await forkPull("doc-sum-locked", false);
      const forkBefore = (await system.github.branches(fork)).get("doc-sum-locked")!;
      const pushesBefore = system.github.pushes().length;
      system.model.push(...scenarioOneScript());
      await system.github.userComment(pull, "alice", "/agent fix");
      await system.settle();

      expect(system.github.pushes().slice(pushesBefore), runLogs(system)).toEqual([]);
      expect((await system.github.branches(fork)).get("doc-sum-locked")).toBe(forkBefore);
      expect(await branchNames(repo)).toEqual(baseBranches);
      expect(system.github.pulls(repo)).toHaveLength(2);
      const { reviews, comments } = system.github.reviewsOn(pull);
      expect(reviews).toHaveLength(1);
      expect(reviews[0]!.body).toContain("does not allow edits from maintainers");
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain(`\`\`\`suggestion\n  ${BUG.fixed}\n\`\`\``);
      const statuses = statusComments(system, pull);
      expect(statuses.map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(statuses[0]!.text).toContain("posted the change as 1 suggestion");
      expect(statuses[0]!.text).toContain("does not allow edits from maintainers");
    },
  );

  scenario(
    "when GitHub refuses the push (edits withdrawn while the agent worked): the fix is suggested, nothing lands",
    async () => {
      const pull = await forkPull("doc-sum-withdrawn", true);
      const forkBefore = (await system.github.branches(fork)).get("doc-sum-withdrawn")!;
      const [first, ...rest] = scenarioOneScript();
      system.model.push(
        async () => {
          // fran unticks "Allow edits from maintainers" after the task has read the pull request.
          pull.pull.maintainerCanModify = false;
          return first!;
        },
        ...rest,
      );
      await system.github.userComment(pull, "alice", "/agent fix");
      await system.settle();

      const refused = system.github.pushes().filter((p) => p.repo === "fran/widget" && p.refused);
      expect(
        refused.map((p) => [p.ref, p.refused]),
        runLogs(system),
      ).toEqual([["refs/heads/doc-sum-withdrawn", "permission denied"]]);
      expect((await system.github.branches(fork)).get("doc-sum-withdrawn")).toBe(forkBefore);
      expect(await branchNames(repo)).toEqual(baseBranches);
      const { comments } = system.github.reviewsOn(pull);
      expect(comments.map((c) => c.body).join("\n")).toContain(BUG.fixed);
      const statuses = statusComments(system, pull);
      expect(statuses.map((s) => s.marker.state)).toEqual(["succeeded"]);
      expect(statuses[0]!.text).toContain("GitHub refused the push to fran:doc-sum-withdrawn");
    },
  );

  scenario(
    "/agent review on a fork pull request works as on any other: one review, nothing pushed",
    async () => {
      const pull = await forkPull("doc-sum-review", false);
      const pushesBefore = system.github.pushes().length;
      system.model.push(
        step.tool("read_file", { path: BUG.path }),
        step.tool("review_comment", { path: BUG.path, line: 3, body: "This subtracts; sum should add." }),
        step.tool("finish", { summary: "One bug on the changed lines." }),
      );
      await system.github.userComment(pull, "alice", "/agent review");
      await system.settle();

      const { reviews, comments } = system.github.reviewsOn(pull);
      expect(reviews, runLogs(system)).toHaveLength(1);
      expect(comments.map((c) => [c.path, c.line, c.side])).toEqual([[BUG.path, 3, "RIGHT"]]);
      expect(system.github.pushes().slice(pushesBefore)).toEqual([]);
      expect(await branchNames(repo)).toEqual(baseBranches);
      expect(statusComments(system, pull).map((s) => s.marker.state)).toEqual(["succeeded"]);
    },
  );
});
