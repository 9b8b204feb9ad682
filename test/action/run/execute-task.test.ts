import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STATE_KEY } from "../../../action/pipeline/github/saved-state.ts";
import { filesContaining } from "../../../action/workspace/credential-check.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import type { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { AFTER, TRIGGER_AT } from "../github/fixtures.ts";
import { sh } from "../workspace/origin.ts";
import {
  agentResult,
  createHarness,
  type Harness,
  MODEL_KEY,
  RUN_TIMEOUT_MS,
  startActionGitHub,
  TOKEN,
} from "./harness.ts";

const BRANCH = "agent/fix-issue-12-parser-crashes-on-empty-input-rm-rf";
const lastStatus = (bodies: string[]) => statusText(bodies.at(-1) ?? "");

/** What every task reads before the workspace: the repository, its config, the actor's permission, the thread. */
const CONTEXT_READS = [
  "GET /repos/{owner}/{repo}",
  "GET /repos/{owner}/{repo}/contents/{path}",
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
  "GET /repos/{owner}/{repo}/issues/{issue_number}",
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
];

let github: LocalGitHub;
beforeAll(async () => {
  github = await startActionGitHub();
});
afterAll(() => github.close());
// Every request the action made was one GitHub has and would accept.
afterEach(() => expect(github.violations()).toEqual([]));

/** A repository with issue #12 by bob and the App's fix-issue task for it, asked for by alice. */
async function issueTask(options: Parameters<Harness["openIssue"]>[0] & { permission?: "read" } = {}) {
  const harness = await createHarness(github, { permission: options.permission ?? "write" });
  const issue = harness.openIssue(options);
  const task = harness.dispatch(issue);
  const status = () => harness.statusBodies(task.statusCommentId!);
  const branches = () => sh(harness.repo.gitDir, "branch", "--list", "agent/*").trim();
  return { harness, issue, task, status, branches };
}

describe("executeTask: issue to pull request", { timeout: RUN_TIMEOUT_MS }, () => {
  it("clones, runs the loop in a credential-free sandbox, pushes a branch and opens a PR", async () => {
    const { harness, task, status } = await issueTask({
      comments: [
        { user: "alice", body: 'It happens with `""`.' },
        { user: "alice", body: "edited later", createdAt: TRIGGER_AT, updatedAt: AFTER },
      ],
    });
    const name = harness.repo.name;
    harness.inputs["status-interval-seconds"] = "3600";
    let canaryHits: string[] = ["not checked"];
    const outcome = await harness.run(task, async (options) => {
      const root = harness.sandboxes[0]!.root;
      canaryHits = [
        ...(await filesContaining(root, TOKEN)),
        ...(await filesContaining(root, Buffer.from(`x-access-token:${TOKEN}`).toString("base64"))),
        ...(await filesContaining(root, MODEL_KEY)),
      ];
      options.onProgress?.({ phase: "writing", turn: 2, maxTurns: 40, chars: 1234 });
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 2;\n");
      return agentResult();
    });

    const prUrl = `${github.url}/acme/${name}/pull/13`;
    expect(outcome).toMatchObject({
      state: "succeeded",
      prNumber: 13,
      verification: "passed",
      tokens: 10_000,
    });
    const [pr, ...more] = github.pulls(harness.repo);
    expect(more).toEqual([]);
    expect(pr).toMatchObject({ number: 13, pull: { headRef: BRANCH, baseRef: "main", draft: false } });
    expect(pr!.title.startsWith("Fix #12:")).toBe(true);
    expect(canaryHits).toEqual([]);
    expect(harness.masked).toEqual(expect.arrayContaining([TOKEN, MODEL_KEY]));
    const call = harness.agentCalls[0]!;
    expect(call.task.title).toBe("Parser crashes on empty input; `rm -rf` $(whoami)");
    expect(call.task.body).toContain("It happens with");
    expect(call.task.body).not.toContain("edited later");
    expect(call.secrets).toEqual(expect.arrayContaining([TOKEN, MODEL_KEY]));
    expect(call.limits).toEqual({ turns: 40, tokens: 2_000_000, minutes: 30, callsPerTurn: 20 });
    expect(sh(harness.repo.gitDir, "show", `${BRANCH}:src/parse.ts`)).toBe("export const parse = 2;\n");
    const message = sh(harness.repo.gitDir, "log", "-1", "--format=%an%n%B", BRANCH);
    expect(message).toContain("inhouse[bot]");
    expect(message).toContain("Inhouse-Task: fix-issue #12\nInhouse-Delivery: dlv-1");
    const prBody = pr!.body ?? "";
    expect(prBody).toContain("Closes #12");
    expect(prBody).toContain("Return early on empty input.");
    expect(prBody).toContain("passed: `npm test`");
    expect(prBody).toContain("ok 3 tests");
    expect(prBody).not.toContain(TOKEN);
    const phases = status().map((b) => statusText(b).split("\n")[0]);
    // The comment changes at most once per status interval (an hour here) until the end: the phases
    // between the first and the result were superseded before their turn and never sent.
    expect(phases).toEqual([
      expect.stringContaining("provisioning on runner-1"),
      expect.stringContaining(`done: opened ${prUrl}`),
    ]);
    expect(lastStatus(status())).toContain(`done: opened ${prUrl}`);
    expect(parseStatusMarker(status().at(-1)!)?.state).toBe("succeeded");
    expect(JSON.parse(harness.state[STATE_KEY]!)).toEqual({
      statusCommentId: task.statusCommentId,
      finished: true,
    });
    const summary = harness.summary.join("\n");
    expect(summary).toContain(`# inhouse: fix-issue #12 in acme/${name}`);
    expect(summary).toMatch(/^provisioning \| \d+\.\d s$/m);
    expect(summary).toMatch(/^publishing \| \d+\.\d s$/m);
    expect(summary).toContain("tokens (prompt / completion / total) | 9000 / 1000 / 10000");
    expect(summary).toContain(`acme-${name}-fix-issue-12-77.jsonl`);
    expect(harness.sandboxes[0]!.root).toBeDefined();
    await expect(readFile(join(harness.sandboxes[0]!.root, "src/parse.ts"))).rejects.toThrow(); // destroyed
    expect(harness.calls()).toEqual(
      expect.arrayContaining([...CONTEXT_READS, "POST /repos/{owner}/{repo}/pulls"]),
    );
  });

  it("opens a draft PR when verification failed, with the failing output", async () => {
    const { harness, task, status } = await issueTask();
    const outcome = await harness.run(task, async (options) => {
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 3;\n");
      return agentResult({
        verification: { command: "npm test", passed: false, exitCode: 1, outputTail: "FAIL parse.test.ts\n" },
      });
    });
    expect(outcome).toMatchObject({ state: "succeeded", verification: "failed", prNumber: 13 });
    const [pr] = github.pulls(harness.repo);
    expect(pr?.pull.draft).toBe(true);
    expect(pr?.body).toContain("failed (exit 1): `npm test`");
    expect(pr?.body).toContain("FAIL parse.test.ts");
    expect(lastStatus(status())).toContain("as a draft");
    expect(harness.calls()).toEqual(expect.arrayContaining(CONTEXT_READS));
  });

  it("opens nothing when the agent made no change, and says so", async () => {
    const { harness, task, status, branches } = await issueTask();
    const outcome = await harness.run(task, async () =>
      agentResult({ summary: "The parser already handles empty input; nothing to change." }),
    );
    expect(outcome.state).toBe("succeeded");
    expect(outcome.prNumber).toBeUndefined();
    expect(github.pulls(harness.repo)).toEqual([]);
    expect(lastStatus(status())).toContain("no changes, so nothing was opened");
    expect(lastStatus(status())).toContain("already handles empty input");
    expect(branches()).toBe("");
    expect(harness.calls()).toEqual(expect.arrayContaining(CONTEXT_READS));
  });

  it("refuses a change to a protected path with a comment that names it, pushing nothing", async () => {
    const { harness, task, status, branches } = await issueTask();
    const outcome = await harness.run(task, async (options) => {
      await options.sandbox.writeFile(".github/workflows/ci.yml", "on: push\n");
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 4;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("refused");
    expect(parseStatusMarker(status().at(-1)!)?.state).toBe("refused");
    expect(lastStatus(status())).toContain("`.github/workflows/ci.yml` (matches `.github/workflows/**`)");
    expect(branches()).toBe("");
    expect(harness.pushes()).toEqual([]);
    expect(harness.calls()).toEqual(expect.arrayContaining(CONTEXT_READS));
  });

  it("refuses before cloning when the actor lost permission between trigger and run", async () => {
    const { harness, task, status } = await issueTask({ permission: "read" });
    const outcome = await harness.run(task, async () => agentResult());
    expect(outcome.state).toBe("refused");
    expect(harness.agentCalls).toHaveLength(0);
    expect(harness.sandboxes).toHaveLength(0);
    expect(lastStatus(status())).toContain("refused: @alice now has read permission");
    // It stopped at the permission: the thread was never read.
    expect(harness.calls()).toEqual(expect.arrayContaining(CONTEXT_READS.slice(0, 3)));
    expect(harness.calls()).not.toContain("GET /repos/{owner}/{repo}/issues/{issue_number}");
  });

  it("deletes the pushed branch when opening the PR fails, and reports the failure", async () => {
    const { harness, task, status, branches } = await issueTask();
    github.faults.inject({
      route: "POST /repos/{owner}/{repo}/pulls",
      when: "before",
      status: 422,
      message: "Validation Failed",
    });
    const outcome = await harness.run(task, async (options) => {
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 5;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("failed");
    expect(outcome.message).toMatch(/failed while publishing: .*Validation Failed/);
    // The branch was on GitHub (pushed), then deleted once the PR could not be opened.
    expect(harness.pushes().some((p) => p.ref === `refs/heads/${BRANCH}` && !p.refused)).toBe(true);
    expect(branches()).toBe("");
    expect(github.pulls(harness.repo)).toEqual([]);
    expect(parseStatusMarker(status().at(-1)!)?.state).toBe("failed");
    expect(lastStatus(status())).toContain("run the command again");
    expect(harness.calls()).toEqual(
      expect.arrayContaining([...CONTEXT_READS, "POST /repos/{owner}/{repo}/pulls"]),
    );
  });
});

describe("executeTask: cancellation", { timeout: RUN_TIMEOUT_MS }, () => {
  it("a cancelled job stops the loop, publishes nothing and says cancelled", async () => {
    const { harness, task, status, branches } = await issueTask();
    const cancel = new AbortController();
    const outcome = await harness.run(
      task,
      async (options) => {
        await options.sandbox.writeFile("src/parse.ts", "export const parse = 9;\n");
        cancel.abort();
        expect(options.signal?.aborted).toBe(true);
        return agentResult({ outcome: "budget", reason: "aborted" });
      },
      cancel.signal,
    );
    expect(outcome.state).toBe("cancelled");
    expect(parseStatusMarker(status().at(-1)!)?.state).toBe("cancelled");
    expect(branches()).toBe("");
    expect(harness.pushes()).toEqual([]);
    expect(harness.sandboxes[0]).toBeDefined();
    expect(harness.calls()).toEqual(expect.arrayContaining(CONTEXT_READS));
  });
});
