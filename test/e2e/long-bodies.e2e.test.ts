import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { GITHUB_BODY_MAX_CHARS } from "../../core/github-body.ts";
import { describeDocker } from "../helpers/docker.ts";
import { step } from "../helpers/scripted-model-server.ts";
import { BUG, SCENARIO_ONE_ISSUE, scenarioOneScript, systemWithWidget } from "./helpers/scenario-one.ts";
import { cleanScenarios, runLogs, statusComments } from "./helpers/system-assertions.ts";
import { agentWorkflow, type WholeSystem } from "./helpers/whole-system.ts";
import type { PullIssue } from "./local-github/shapes/pull.ts";
import type { RepoRecord } from "./local-github/state.ts";

/**
 * Issue 11's fourth problem, end to end: a model summary longer than GitHub's 65,536 characters. On
 * the code before the fix the PR was refused with 422 after the branch had been pushed, and the task
 * failed. Now each body is cut with a notice, and the whole text is in the job summary and audit log.
 */
const SCENARIO_TIMEOUT_MS = 180_000;
const chars = (text: string) => [...text].length;

/** Just over the limit, ending in a line that only the whole text has. */
const longSummary = (what: string) =>
  `${`The ${what} explains each step it took, at length. `.repeat(1_500)}\n\nEND OF THE WHOLE ${what.toUpperCase()}`;

async function auditLines(system: WholeSystem): Promise<{ type: string; what?: string; text?: string }[]> {
  const files = await readdir(system.auditDir).catch(() => [] as string[]);
  const texts = await Promise.all(files.map((file) => readFile(join(system.auditDir, file), "utf8")));
  return texts.flatMap((text) =>
    text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  );
}

describeDocker("whole system: bodies over GitHub's 65,536 characters", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let pull: PullIssue;

  beforeAll(async () => {
    ({ system, repo } = await systemWithWidget());
  });

  afterAll(async () => {
    await system?.close();
  });

  const scenario = cleanScenarios(() => ({ system, repo }), SCENARIO_TIMEOUT_MS);

  scenario(
    "opens the PR with the summary cut and a notice; the whole summary is in the job summary and the audit log",
    async () => {
      const summary = longSummary("fix");
      expect(chars(summary)).toBeGreaterThan(GITHUB_BODY_MAX_CHARS);
      const issue = system.github.openIssue(repo, SCENARIO_ONE_ISSUE);
      system.model.push(...scenarioOneScript().slice(0, -1), step.tool("finish", { summary }));
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      const pulls = system.github.pulls(repo);
      expect(pulls, runLogs(system)).toHaveLength(1);
      pull = pulls[0]!;
      expect(chars(pull.body ?? "")).toBeLessThanOrEqual(GITHUB_BODY_MAX_CHARS);
      expect(pull.body).toMatch(/^Closes #\d+/);
      expect(pull.body).toContain(
        "This pull request body was cut to fit GitHub's limit of 65,536 characters",
      );
      expect(pull.body).not.toContain("END OF THE WHOLE FIX");
      expect(statusComments(system, issue)[0]?.marker.state).toBe("succeeded");

      const jobSummary = system.runner.results.at(-1)!.summary;
      expect(jobSummary).toContain("The whole pull request body (");
      expect(jobSummary).toContain("END OF THE WHOLE FIX");
      const published = (await auditLines(system)).filter((line) => line.type === "published_text");
      expect(published.map((line) => line.what)).toEqual(["pull request body"]);
      expect(published[0]?.text).toContain("END OF THE WHOLE FIX");
    },
  );

  scenario("posts a review whose body is cut, with its inline comment", async () => {
    expect(pull, "the first test must open the PR").toBeDefined();
    system.model.push(
      step.tool("read_file", { path: BUG.path }),
      step.tool("review_comment", { path: BUG.path, line: 2, body: "Addition, as the test expects." }),
      step.tool("finish", { summary: longSummary("review") }),
    );
    await system.github.userComment(pull, "alice", "/agent review");
    await system.settle();

    const { reviews, comments } = system.github.reviewsOn(pull);
    expect(reviews, runLogs(system)).toHaveLength(1);
    expect(chars(reviews[0]!.body)).toBeLessThanOrEqual(GITHUB_BODY_MAX_CHARS);
    expect(reviews[0]!.body).toContain("This review was cut to fit GitHub's limit");
    expect(comments.map((c) => c.path)).toEqual([BUG.path]);
    expect(system.runner.results.at(-1)!.summary).toContain("END OF THE WHOLE REVIEW");
    expect(statusComments(system, pull).at(-1)?.marker.state).toBe("succeeded");
  });

  scenario(
    "ends a task that changed nothing with a status comment cut to fit, its marker intact",
    async () => {
      // No test command: the agent's answer is accepted as it is, with nothing to publish but the status.
      const notes = await system.github.createRepo("notes", {
        "README.md": "# notes\n",
        ".github/agent.yml": "trigger: { label: agent }\n",
        ".github/workflows/agent.yml": await agentWorkflow(),
      });
      system.github.addCollaborator(notes, "alice", "write");
      const issue = system.github.openIssue(notes, { title: "explain the notes", user: "alice" });
      system.model.push(
        step.tool("read_file", { path: "README.md" }),
        step.tool("finish", { summary: longSummary("answer") }),
      );
      await system.github.labelIssue(issue, "agent", "alice");
      await system.settle();

      const [status] = statusComments(system, issue);
      expect(status?.marker.state, runLogs(system)).toBe("succeeded");
      expect(chars(status!.comment.body)).toBeLessThanOrEqual(GITHUB_BODY_MAX_CHARS);
      expect(status?.text).toContain("the agent made no changes");
      expect(status?.text).toContain("This status comment was cut to fit GitHub's limit");
      expect(system.runner.results.at(-1)!.summary).toContain("END OF THE WHOLE ANSWER");
      return notes;
    },
  );
});
