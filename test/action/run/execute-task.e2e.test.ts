/** The whole action with the real agent loop: scripted model, real Docker sandbox, real git, fake GitHub on loopback. */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { executeTask, type RunDeps } from "../../../action/execute-task.ts";
import { createGitHubClient } from "../../../action/github/client.ts";
import { createSandbox } from "../../../action/sandbox/index.ts";
import { parseSettings } from "../../../action/settings.ts";
import { parseStatusMarker, statusText } from "../../../core/status-marker.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { createJsFixtureRepo } from "../../helpers/fixture-repo.ts";
import { type ScriptedModelServer, startScriptedModelServer } from "../../helpers/scripted-model-server.ts";
import { fixingTrajectory } from "../../helpers/trajectories.ts";
import { makeTask } from "../github/fixtures.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";
import { type FakeGitHub, startFakeGitHub } from "./fake-github.ts";

const TOKEN = "ghs_E2EcanaryToken0123456789abcdefABCD";
const MODEL_KEY = "sk-E2EcanaryModelKey0123456789";
const REPO = "/repos/acme/widgets";

describeDocker("executeTask with the real loop and sandbox", () => {
  let restoreNock: () => void;
  let github: FakeGitHub | undefined;
  let model: ScriptedModelServer | undefined;
  beforeAll(async () => {
    await requireSandboxImage();
    restoreNock = allowDockerHijack();
  });
  afterAll(async () => {
    await github?.close();
    await model?.close();
    restoreNock?.();
  });

  it("issue → PR: the loop fixes the bug in the container, verification passes, the PR carries the result", async () => {
    const fixture = await createJsFixtureRepo();
    const root = await mkdtemp(join(tmpdir(), "inhouse-e2e-"));
    const bare = join(root, "widgets.git");
    execFileSync("git", ["clone", "-q", "--bare", fixture.dir, bare]);
    model = await startScriptedModelServer(fixingTrajectory(fixture));
    const config = `commands:\n  test: ${fixture.testCommand}\n`;
    let prBody = "";
    github = await startFakeGitHub([
      ["GET", new RegExp(`^${REPO}$`), () => ({ status: 200, body: { default_branch: "main" } })],
      [
        "GET",
        /\/contents\/\.github\/agent\.yml/,
        () => ({
          status: 200,
          body: { type: "file", encoding: "base64", content: Buffer.from(config).toString("base64") },
        }),
      ],
      [
        "GET",
        /\/collaborators\/alice\/permission$/,
        () => ({ status: 200, body: { permission: "write", role_name: "write" } }),
      ],
      [
        "GET",
        new RegExp(`^${REPO}/issues/12$`),
        () => ({
          status: 200,
          body: { title: "sum() subtracts", body: "sum(2, 3) is -1.", state: "open", user: { login: "bob" } },
        }),
      ],
      ["GET", new RegExp(`^${REPO}/issues/12/comments`), () => ({ status: 200, body: [] })],
      ["PATCH", new RegExp(`^${REPO}/issues/comments/900$`), () => ({ status: 200, body: { id: 900 } })],
      [
        "POST",
        new RegExp(`^${REPO}/pulls$`),
        (body) => {
          prBody = (body as { body: string }).body;
          return { status: 201, body: { number: 13, html_url: "https://github.test/acme/widgets/pull/13" } };
        },
      ],
    ]);
    const inputs: Record<string, string> = {
      task: JSON.stringify(makeTask()),
      "github-token": TOKEN,
      "model-api-key": MODEL_KEY,
      "cache-dir": join(root, "cache"),
      "status-interval-seconds": "1",
    };
    const settings = parseSettings(
      (name) => inputs[name] ?? "",
      () => {},
      { GITHUB_REPOSITORY: "acme/widgets", GITHUB_RUN_ID: "4242", RUNNER_TEMP: root, RUNNER_NAME: "e2e" },
    );
    const containers: string[] = [];
    const canaryHits: string[] = [];
    const seeded: string[] = [];
    const deps: RunDeps = {
      github: (token) => createGitHubClient({ token, baseUrl: github!.url }),
      createSandbox: async (options) => {
        const sandbox = await createSandbox(options);
        containers.push(sandbox.containerId);
        return sandbox;
      },
      runAgent: async (options) => {
        // The seeded copy inside the container: files, .git/config, everything under the workspace.
        const basic = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
        for (const needle of [TOKEN, basic, MODEL_KEY]) {
          const found = await options.sandbox.exec(`grep -rl --binary-files=text -- '${needle}' . || true`);
          canaryHits.push(...found.stdout.split("\n").filter(Boolean));
        }
        // Positive control: the same search finds what is there.
        const control = await options.sandbox.exec(
          `grep -rl --binary-files=text -- '${fixture.bug.broken}' . || true`,
        );
        seeded.push(
          control.stdout,
          (await options.sandbox.exec("git log --oneline | wc -l; cat .git/config")).stdout,
        );
        return runAgent({ ...options, tuning: { retryBaseDelayMs: 1 } });
      },
      resolveModel: async () => ({
        baseUrl: model!.baseUrl,
        apiKey: MODEL_KEY,
        model: model!.model,
        toolCalling: "auto",
      }),
      remoteUrl: () => `file://${bare}`,
      saveState: () => {},
      log: { info: () => {}, warning: (m) => console.warn(m) },
      mask: () => {},
    };
    const started = performance.now();
    const outcome = await executeTask(settings, deps);

    expect(outcome).toMatchObject({ state: "succeeded", prNumber: 13, verification: "passed" });
    expect(github.unmatched).toEqual([]);
    expect(canaryHits).toEqual([]);
    expect(seeded[0]).toContain(fixture.bug.path);
    expect(seeded[1]).toMatch(/^1\n/); // the history came along and works without the runner's cache
    expect(seeded[1]).not.toMatch(/extraheader|alternates/i);
    // The fix is on the agent branch in the remote, committed by the bot with the task's trailers.
    const branch = "agent/fix-issue-12-sum-subtracts";
    expect(
      execFileSync("git", ["-C", bare, "show", `${branch}:${fixture.bug.path}`], { encoding: "utf8" }),
    ).toContain(fixture.bug.fixed);
    expect(
      execFileSync("git", ["-C", bare, "log", "-1", "--format=%an%n%B", branch], { encoding: "utf8" }),
    ).toContain("Inhouse-Task: fix-issue #12");
    expect(prBody).toContain("Closes #12");
    expect(prBody).toContain(`passed: \`${fixture.testCommand}\``);
    // No credential reached the model either: every request the model server saw is free of them.
    for (const request of model.requests) {
      expect(request.raw).not.toContain(TOKEN);
      expect(request.raw).not.toContain(MODEL_KEY);
    }
    const statuses = github.requests
      .filter((r) => r.method === "PATCH")
      .map((r) => (r.body as { body: string }).body);
    expect(parseStatusMarker(statuses.at(-1)!)?.state).toBe("succeeded");
    expect(statusText(statuses.at(-1)!)).toContain("done: opened https://github.test/acme/widgets/pull/13");
    // The container is gone.
    for (const id of containers)
      await expect(new Docker().getContainer(id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    // The audit log was written where the workflow uploads it.
    const audit = await readFile(join(root, "inhouse-audit", "acme-widgets-fix-issue-12-4242.jsonl"), "utf8");
    expect(audit).not.toContain(TOKEN);
    expect(audit.split("\n").length).toBeGreaterThan(3);

    const firstModelCall = model.requests[0]!.receivedAt - started;
    const lastAnswer = model.requests.at(-1)!.respondedAt!;
    const prAt = github.requests.find((r) => r.method === "POST" && r.path.endsWith("/pulls"))!.at;
    console.log(
      `action.start_to_first_model_call_s=${(firstModelCall / 1000).toFixed(2)} action.finish_to_pr_s=${((prAt - lastAnswer) / 1000).toFixed(2)}`,
    );
  }, 180_000);
});
