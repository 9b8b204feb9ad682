/** Harvest's selection over a generated repository with real history (git only, no sandbox). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectCandidates } from "../../../action/eval/select-candidates.ts";
import { testPathClassifier } from "../../../action/eval/test-paths.ts";
import { createEvalFixture, EVAL_TEST_COMMAND, type EvalFixture } from "../../helpers/eval-fixture-repo.ts";
import { git } from "../../helpers/fixture-repo.ts";

describe("selectCandidates", () => {
  let fixture: EvalFixture;
  beforeAll(async () => {
    fixture = await createEvalFixture();
  });
  afterAll(() => fixture.cleanup());

  it("keeps issues closed by a merged PR that changed code and tests, and says why the others are out", async () => {
    const selection = await selectCandidates(fixture.data, {
      repo: fixture.dir,
      classify: testPathClassifier(),
    });
    expect(selection.candidates.map((c) => c.issue)).toEqual([1, 3, 5, 7, 11]);
    expect(selection.dropped).toEqual([
      { id: "acme/mathlib#9", issue: 9, pull: 10, reason: "pull request #10 changed no test files" },
      { id: "acme/mathlib#13", issue: 13, reason: "no merged pull request closes this issue" },
    ]);
  });

  it("records the base at merge time, the held-out tests as merged and the code change as the reference", async () => {
    const { candidates } = await selectCandidates(fixture.data, {
      repo: fixture.dir,
      classify: testPathClassifier(),
    });
    const sum = candidates.find((c) => c.issue === 1)!;
    expect(sum.baseCommit).toBe(git(fixture.dir, "rev-parse", `${fixture.mergeCommits[2]}^1`).trim());
    expect(sum.mergeCommit).toBe(fixture.mergeCommits[2]);
    expect(Object.keys(sum.testFiles)).toEqual(["test/sum.test.js"]);
    expect(sum.testFiles["test/sum.test.js"]).toContain("assert.equal(sum(2, 3), 5);");
    expect(sum.referencePatch).toContain("+  return a + b;");
    expect(sum.referencePatch).not.toContain("test/sum.test.js");
    // The repository's own .github/agent.yml at the base names the test command.
    expect(sum.testCommand).toBe(EVAL_TEST_COMMAND);
  });

  it("freezes the issue at the PR's opening: comments written later are left out", async () => {
    const { candidates } = await selectCandidates(fixture.data, {
      repo: fixture.dir,
      classify: testPathClassifier(),
    });
    const sum = candidates.find((c) => c.issue === 1)!;
    expect(sum.thread.body).toBe("`sum(2, 3)` returns -1. It should return 5.");
    expect(sum.thread.comments.map((c) => c.body)).toEqual(["I can reproduce this on main."]);
    expect(JSON.stringify(sum.thread)).not.toContain("LATER-COMMENT");
  });

  it("takes the body revision current when the PR was opened", async () => {
    const data = structuredClone(fixture.data);
    const issue = data.issues.find((i) => i.number === 1)!;
    issue.bodyEdits = [
      { editedAt: "2026-03-01T09:00:00Z", body: "first text" },
      { editedAt: "2026-03-01T18:00:00Z", body: "text on the day" },
      { editedAt: "2026-03-05T09:00:00Z", body: "edited after the fix: use a + b" },
    ];
    const { candidates } = await selectCandidates(data, {
      repo: fixture.dir,
      classify: testPathClassifier(),
    });
    expect(candidates.find((c) => c.issue === 1)!.thread.body).toBe("text on the day");
  });

  it("names the fix when a merge commit is not in the clone, or no test command is known", async () => {
    const data = structuredClone(fixture.data);
    data.pulls[0]!.mergeCommit = { oid: "0123456789abcdef0123456789abcdef01234567" };
    const missing = await selectCandidates(data, { repo: fixture.dir, classify: testPathClassifier() });
    expect(missing.dropped[0]!.reason).toMatch(/not in the clone; run `git fetch origin`/);
    const other = await selectCandidates(fixture.data, {
      repo: fixture.dir,
      classify: testPathClassifier(["nothing/**"]),
    });
    expect(other.candidates).toEqual([]);
    expect(other.dropped.find((d) => d.issue === 1)!.reason).toBe("pull request #2 changed no test files");
  });
});
