/** The whole action with the real agent loop: scripted model, real Docker sandbox, the local GitHub (API and git). */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";
import { E2E_MODEL_KEY, E2E_TOKEN, type IssueToPrRun, runIssueToPr, runLatencies } from "./issue-to-pr.ts";

describeDocker("executeTask with the real loop and sandbox", () => {
  let restoreNock: () => void;
  let run: IssueToPrRun | undefined;
  beforeAll(async () => {
    await requireSandboxImage();
    restoreNock = allowDockerHijack();
  });
  afterEach(async () => {
    await run?.cleanup();
    run = undefined;
  });
  afterAll(() => restoreNock?.());

  it("issue → PR: the loop fixes the bug in the container, verification passes, the PR carries the result", async () => {
    const canaryHits: string[] = [];
    const seeded: string[] = [];
    run = await runIssueToPr(async (sandbox, fixture) => {
      // The seeded copy inside the container: files, .git/config, everything under the workspace.
      const basic = Buffer.from(`x-access-token:${E2E_TOKEN}`).toString("base64");
      for (const needle of [E2E_TOKEN, basic, E2E_MODEL_KEY]) {
        const found = await sandbox.exec(`grep -rl --binary-files=text -- '${needle}' . || true`);
        canaryHits.push(...found.stdout.split("\n").filter(Boolean));
      }
      // Positive control: the same search finds what is there.
      const control = await sandbox.exec(`grep -rl --binary-files=text -- '${fixture.bug.broken}' . || true`);
      seeded.push(control.stdout, (await sandbox.exec("git log --oneline | wc -l; cat .git/config")).stdout);
    });
    const { outcome, scene, model, fixture } = run;
    const { github, repo } = scene;

    expect(outcome).toMatchObject({ state: "succeeded", prNumber: 13, verification: "passed" });
    expect(github.violations()).toEqual([]);
    expect(canaryHits).toEqual([]);
    expect(seeded[0]).toContain(fixture.bug.path);
    expect(seeded[1]).toMatch(/^1\n/); // the history came along and works without the runner's cache
    expect(seeded[1]).not.toMatch(/extraheader|alternates/i);
    // The fix is on the agent branch in the remote, committed by the bot with the task's trailers.
    const branch = "agent/fix-issue-12-sum-subtracts";
    const show = (...args: string[]) =>
      execFileSync("git", ["-C", repo.gitDir, ...args], { encoding: "utf8" });
    expect(show("show", `${branch}:${fixture.bug.path}`)).toContain(fixture.bug.fixed);
    expect(show("log", "-1", "--format=%an%n%B", branch)).toContain("Inhouse-Task: fix-issue #12");
    const [pull] = github.pulls(repo);
    expect(pull?.number).toBe(13);
    expect(pull?.body).toContain("Closes #12");
    expect(pull?.body).toContain(`passed: \`${fixture.testCommand}\``);
    // No credential reached the model either.
    for (const request of model.requests) {
      expect(request.raw).not.toContain(E2E_TOKEN);
      expect(request.raw).not.toContain(E2E_MODEL_KEY);
    }
    const statuses = github
      .requests()
      .filter((r) => r.route === "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}")
      .map((r) => (r.body as { body: string }).body);
    expect(parseStatusMarker(statuses.at(-1)!)?.state).toBe("succeeded");
    expect(statusText(statuses.at(-1)!)).toContain(`done: opened ${github.url}/acme/widgets/pull/13`);
    expect(statuses.some((s) => statusText(s).includes("working: turn"))).toBe(true);
    for (const id of run.containers) {
      await expect(new Docker().getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    }
    // The audit log was written where the workflow uploads it, redacted.
    const audit = await readFile(
      join(run.root, "inhouse-audit", "acme-widgets-fix-issue-12-4242.jsonl"),
      "utf8",
    );
    expect(audit).not.toContain(E2E_TOKEN);
    expect(audit.split("\n").length).toBeGreaterThan(3);
    const latency = runLatencies(run);
    expect(latency.startToFirstModelCall).toBeGreaterThan(0);
    expect(latency.finishToPr).toBeGreaterThan(0);
  }, 180_000);
});
