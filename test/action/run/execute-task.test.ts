import { readFile } from "node:fs/promises";
import { join } from "node:path";
import nock from "nock";
import { describe, expect, it } from "vitest";
import { STATE_KEY } from "../../../action/pipeline/github/saved-state.ts";
import { filesContaining } from "../../../action/workspace/credential-check.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { AFTER, API, comment, makeTask, TRIGGER_AT } from "../github/fixtures.ts";
import { sh } from "../workspace/origin.ts";
import { agentResult, contextScope, createHarness, MODEL_KEY, REPO, statusScope, TOKEN } from "./harness.ts";

const BRANCH = "agent/fix-issue-12-parser-crashes-on-empty-input-rm-rf";
const lastStatus = (bodies: string[]) => statusText(bodies.at(-1) ?? "");

describe("executeTask: issue to pull request", () => {
  it("clones, runs the loop in a credential-free sandbox, pushes a branch and opens a PR", async () => {
    const harness = await createHarness();
    harness.inputs["status-interval-seconds"] = "3600";
    const status = statusScope(harness);
    const context = contextScope({
      comments: [
        comment(1, "alice", 'It happens with `""`.'),
        comment(2, "alice", "edited later", TRIGGER_AT, AFTER),
      ],
    });
    let prBody = "";
    const pr = nock(API)
      .post(`${REPO}/pulls`, (body) => {
        prBody = body.body;
        return (
          body.head === BRANCH &&
          body.base === "main" &&
          body.draft === false &&
          body.title.startsWith("Fix #12:")
        );
      })
      .reply(201, { number: 13, html_url: "https://github.com/acme/widgets/pull/13" });
    let canaryHits: string[] = ["not checked"];
    const outcome = await harness.run(makeTask(), async (options) => {
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

    expect(outcome).toMatchObject({
      state: "succeeded",
      prNumber: 13,
      verification: "passed",
      tokens: 10_000,
    });
    expect(canaryHits).toEqual([]);
    expect(harness.masked).toEqual(expect.arrayContaining([TOKEN, MODEL_KEY]));
    const call = harness.agentCalls[0]!;
    expect(call.task.title).toBe("Parser crashes on empty input; `rm -rf` $(whoami)");
    expect(call.task.body).toContain("It happens with");
    expect(call.task.body).not.toContain("edited later");
    expect(call.secrets).toEqual(expect.arrayContaining([TOKEN, MODEL_KEY]));
    expect(call.limits).toEqual({ turns: 40, tokens: 2_000_000, minutes: 30, callsPerTurn: 20 });
    expect(sh(harness.origin.bare, "show", `${BRANCH}:src/parse.ts`)).toBe("export const parse = 2;\n");
    const message = sh(harness.origin.bare, "log", "-1", "--format=%an%n%B", BRANCH);
    expect(message).toContain("inhouse[bot]");
    expect(message).toContain("Inhouse-Task: fix-issue #12\nInhouse-Delivery: dlv-1");
    expect(prBody).toContain("Closes #12");
    expect(prBody).toContain("Return early on empty input.");
    expect(prBody).toContain("passed: `npm test`");
    expect(prBody).toContain("ok 3 tests");
    expect(prBody).not.toContain(TOKEN);
    const phases = harness.statusBodies.map((b) => statusText(b).split("\n")[0]);
    // The comment changes at most once per status interval (an hour here) until the end: the phases
    // between the first and the result were superseded before their turn and never sent.
    expect(phases).toEqual([
      expect.stringContaining("provisioning on runner-1"),
      expect.stringContaining("done: opened https://github.com/acme/widgets/pull/13"),
    ]);
    expect(lastStatus(harness.statusBodies)).toContain(
      "done: opened https://github.com/acme/widgets/pull/13",
    );
    expect(parseStatusMarker(harness.statusBodies.at(-1)!)?.state).toBe("succeeded");
    expect(JSON.parse(harness.state[STATE_KEY]!)).toEqual({ statusCommentId: 900, finished: true });
    const summary = harness.summary.join("\n");
    expect(summary).toContain("# inhouse: fix-issue #12 in acme/widgets");
    expect(summary).toMatch(/^provisioning \| \d+\.\d s$/m);
    expect(summary).toMatch(/^publishing \| \d+\.\d s$/m);
    expect(summary).toContain("tokens (prompt / completion / total) | 9000 / 1000 / 10000");
    expect(summary).toContain("acme-widgets-fix-issue-12-77.jsonl");
    expect(harness.sandboxes[0]!.root).toBeDefined();
    await expect(readFile(join(harness.sandboxes[0]!.root, "src/parse.ts"))).rejects.toThrow(); // destroyed
    for (const scope of [status, context, pr]) expect(scope.isDone()).toBe(true);
  });

  it("opens a draft PR when verification failed, with the failing output", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope();
    let body = "";
    const pr = nock(API)
      .post(`${REPO}/pulls`, (b) => {
        body = b.body;
        return b.draft === true;
      })
      .reply(201, { number: 14, html_url: "https://github.com/acme/widgets/pull/14" });
    const outcome = await harness.run(makeTask(), async (options) => {
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 3;\n");
      return agentResult({
        verification: { command: "npm test", passed: false, exitCode: 1, outputTail: "FAIL parse.test.ts\n" },
      });
    });
    expect(outcome).toMatchObject({ state: "succeeded", verification: "failed", prNumber: 14 });
    expect(body).toContain("failed (exit 1): `npm test`");
    expect(body).toContain("FAIL parse.test.ts");
    expect(lastStatus(harness.statusBodies)).toContain("as a draft");
    for (const scope of [status, context, pr]) expect(scope.isDone()).toBe(true);
  });

  it("opens nothing when the agent made no change, and says so", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope();
    const outcome = await harness.run(makeTask(), async () =>
      agentResult({ summary: "The parser already handles empty input; nothing to change." }),
    );
    expect(outcome.state).toBe("succeeded");
    expect(outcome.prNumber).toBeUndefined();
    expect(lastStatus(harness.statusBodies)).toContain("no changes, so nothing was opened");
    expect(lastStatus(harness.statusBodies)).toContain("already handles empty input");
    expect(sh(harness.origin.bare, "branch", "--list", "agent/*").trim()).toBe("");
    for (const scope of [status, context]) expect(scope.isDone()).toBe(true);
  });

  it("refuses a change to a protected path with a comment that names it, pushing nothing", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope();
    const outcome = await harness.run(makeTask(), async (options) => {
      await options.sandbox.writeFile(".github/workflows/ci.yml", "on: push\n");
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 4;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("refused");
    expect(parseStatusMarker(harness.statusBodies.at(-1)!)?.state).toBe("refused");
    expect(lastStatus(harness.statusBodies)).toContain(
      "`.github/workflows/ci.yml` (matches `.github/workflows/**`)",
    );
    expect(sh(harness.origin.bare, "branch", "--list", "agent/*").trim()).toBe("");
    for (const scope of [status, context]) expect(scope.isDone()).toBe(true);
  });

  it("refuses before cloning when the actor lost permission between trigger and run", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope({ permission: "read" });
    const outcome = await harness.run(makeTask(), async () => agentResult());
    expect(outcome.state).toBe("refused");
    expect(harness.agentCalls).toHaveLength(0);
    expect(harness.sandboxes).toHaveLength(0);
    expect(lastStatus(harness.statusBodies)).toContain("refused: @alice now has read permission");
    for (const scope of [status, context]) expect(scope.isDone()).toBe(true);
  });

  it("deletes the pushed branch when opening the PR fails, and reports the failure", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope();
    const pr = nock(API)
      .post(`${REPO}/pulls`)
      .reply(422, { message: "Validation Failed: base is protected" });
    const outcome = await harness.run(makeTask(), async (options) => {
      await options.sandbox.writeFile("src/parse.ts", "export const parse = 5;\n");
      return agentResult();
    });
    expect(outcome.state).toBe("failed");
    expect(outcome.message).toMatch(/failed while publishing: .*Validation Failed/);
    expect(sh(harness.origin.bare, "branch", "--list", "agent/*").trim()).toBe("");
    expect(parseStatusMarker(harness.statusBodies.at(-1)!)?.state).toBe("failed");
    expect(lastStatus(harness.statusBodies)).toContain("run the command again");
    for (const scope of [status, context, pr]) expect(scope.isDone()).toBe(true);
  });
});

describe("executeTask: cancellation", () => {
  it("a cancelled job stops the loop, publishes nothing and says cancelled", async () => {
    const harness = await createHarness();
    const status = statusScope(harness);
    const context = contextScope();
    const cancel = new AbortController();
    const outcome = await harness.run(
      makeTask(),
      async (options) => {
        await options.sandbox.writeFile("src/parse.ts", "export const parse = 9;\n");
        cancel.abort();
        expect(options.signal?.aborted).toBe(true);
        return agentResult({ outcome: "budget", reason: "aborted" });
      },
      cancel.signal,
    );
    expect(outcome.state).toBe("cancelled");
    expect(parseStatusMarker(harness.statusBodies.at(-1)!)?.state).toBe("cancelled");
    expect(sh(harness.origin.bare, "branch", "--list", "agent/*").trim()).toBe("");
    expect(harness.sandboxes[0]).toBeDefined();
    for (const scope of [status, context]) expect(scope.isDone()).toBe(true);
  });
});
