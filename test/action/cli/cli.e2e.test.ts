/** `inhouse run` end to end: a fixture repository, the scripted model server, a real sandbox. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../action/cli/main.ts";
import { openStore } from "../../../store/open-store.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { createJsFixtureRepo, git } from "../../helpers/fixture-repo.ts";
import { createTestDatabase, postgresAvailable } from "../../helpers/postgres.ts";
import { startScriptedModelServer, step } from "../../helpers/scripted-model-server.ts";
import { fixingCalls, forms } from "../../helpers/tool-call-forms.ts";
import { fixingTrajectory } from "../../helpers/trajectories.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";

function capture() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

describe("inhouse run without a model endpoint", () => {
  it("fails fast, before creating anything, with an error naming --base-url", async () => {
    const repo = await createJsFixtureRepo();
    const started = Date.now();
    const { stdout, stderr } = await promisify(execFile)(
      "npx",
      [
        "tsx",
        "action/cli/main.ts",
        ...fixSumArgs(repo.dir, { baseUrl: "http://127.0.0.1:9/v1", model: "m" }),
      ],
      { cwd: process.cwd(), env: { ...process.env, INHOUSE_MODEL_BASE_URL: "" } },
    ).catch((error: { code: number; stdout: string; stderr: string }) => {
      expect(error.code).toBe(1);
      return error;
    });
    expect(stdout).toBe("");
    expect(stderr).toMatch(/no model endpoint answers at http:\/\/127\.0\.0\.1:9\/v1.*--base-url/);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
  });

  it("names --base-url when no endpoint is configured at all", async () => {
    const err = capture();
    const out = capture();
    const code = await runCli(["run", "--repo", ".", "--task", "x"], {
      stdout: out.stream,
      stderr: err.stream,
      env: {},
    });
    expect(code).toBe(1);
    expect(err.text()).toMatch(/no base URL.*--base-url/);
  });
});

describe("inhouse run without Docker", () => {
  it("fails fast naming how to start an engine, after the model endpoint answered", async () => {
    const repo = await createJsFixtureRepo();
    const server = await startScriptedModelServer([]);
    const previous = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    const run = await runAgainst(server, fixSumArgs(repo.dir, server)).finally(() => {
      if (previous === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = previous;
    });
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/No Docker engine answers.*scripts\/docker-engine\.sh/);
    expect(server.requests).toHaveLength(0);
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
  });
});

describeDocker("inhouse run on a real sandbox", () => {
  let restoreNock: () => void;
  afterAll(() => restoreNock?.());
  beforeAll(async () => {
    await requireSandboxImage();
    // With nock active the sandbox's seeding socket sometimes dies with an uncaught EPIPE
    // (reproduced outside vitest too); until that is fixed these suites switch nock off.
    restoreNock = allowDockerHijack();
  });

  it("names the build command when the sandbox image is missing", async () => {
    const repo = await createJsFixtureRepo();
    const server = await startScriptedModelServer([]);
    const run = await runAgainst(
      server,
      fixSumArgs(repo.dir, server, "x", "--image", "inhouse-missing:none"),
    );
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/inhouse-missing:none is not built.*runner-image\/build\.sh/);
  });

  it("leaves the fix as a new branch in the source repository and its working tree and HEAD untouched", async () => {
    const repo = await createJsFixtureRepo();
    git(repo.dir, "checkout", "-q", "-b", "my-work");
    const head = git(repo.dir, "rev-parse", "HEAD");
    const status = git(repo.dir, "status", "--porcelain");
    const server = await startScriptedModelServer(fixingTrajectory(repo));
    const { code, out, err } = await runAgainst(
      server,
      fixSumArgs(repo.dir, server, "sum() subtracts instead of adding"),
    );
    expect(code, err).toBe(0);
    expect(git(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("my-work");
    expect(git(repo.dir, "status", "--porcelain")).toBe(status);
    expect(git(repo.dir, "show", "agent/local-sum-subtracts-instead-of-adding:src/sum.js")).toContain(
      "return a + b;",
    );
    expect(
      git(repo.dir, "log", "-1", "--format=%an%n%B", "agent/local-sum-subtracts-instead-of-adding"),
    ).toMatch(/^inhouse agent\nsum\(\) subtracts instead of adding[\s\S]*Agent-Outcome: finished/);
    expect(out).toMatch(/outcome: +finished/);
    expect(out).toMatch(/verification: passed \(`npm test`, exit 0\)/);
    expect(out).toMatch(/src\/sum\.js \| 2 \+-/);
    expect(out).toMatch(/turns: +5/);
    expect(err).toContain("turn 3/40 · edit_file");
    expect(err).toContain("verifying: npm test");
  }, 90_000);

  it("refuses to publish a change to a protected path, as the action does: no branch, the tree untouched", async () => {
    const repo = await createJsFixtureRepo({ ".github/workflows/ci.yml": "on: push\n" });
    git(repo.dir, "checkout", "-q", "-b", "my-work");
    const head = git(repo.dir, "rev-parse", "HEAD");
    const server = await startScriptedModelServer([
      step.tool("edit_file", { path: repo.bug.path, oldText: repo.bug.broken, newText: repo.bug.fixed }),
      step.tool("write_file", { path: ".github/workflows/ci.yml", content: "on: push\njobs: {}\n" }),
      step.tool("finish", { summary: "Fixed sum and tidied CI." }),
    ]);
    const { code, out, err } = await runAgainst(server, fixSumArgs(repo.dir, server));
    expect(code).toBe(1);
    // The refusal is the action's publish policy (action/publish/patch-policy.ts), word for word.
    expect(err).toMatch(
      /the agent's change was not published: the change touches protected paths: `\.github\/workflows\/ci\.yml` \(matches `\.github\/workflows\/\*\*`\)/,
    );
    expect(out).toMatch(/branch: +\(none: not published\)/);
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
    expect(git(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("my-work");
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
  }, 90_000);

  it.skipIf(!postgresAvailable)(
    "--record writes the ended run into the team's run history, usage and phases included",
    async () => {
      const repo = await createJsFixtureRepo();
      git(repo.dir, "remote", "add", "origin", "git@github.com:acme/widget.git");
      const database = await createTestDatabase();
      const server = await startScriptedModelServer(fixingTrajectory(repo));
      try {
        const { code, err } = await runAgainst(
          server,
          fixSumArgs(repo.dir, server, "sum() subtracts instead of adding", "--record", database.url),
        );
        expect(code, err).toBe(0);
        expect(err).toContain("recorded in the run history as acme/widget (succeeded)");
        const store = await openStore({ databaseUrl: database.url });
        try {
          const runs = await store.db.selectFrom("runs").selectAll().execute();
          expect(runs).toHaveLength(1);
          expect(runs[0]).toMatchObject({
            source: "cli",
            repository: "acme/widget",
            owner: "acme",
            kind: "fix-issue",
            trigger_event: "cli",
            state: "succeeded",
            outcome: "finished",
            verification: "passed",
            turns: 5,
            profile: "default",
          });
          expect(runs[0]!.task_key).toMatch(/^cli:[0-9a-f-]{36}$/);
          expect(runs[0]!.reason).toContain("branch agent/local-sum-subtracts-instead-of-adding");
          expect(runs[0]!.prompt_tokens).toBeGreaterThan(0);
          // The action's phases, run by the local adapter (action/pipeline/local/run-local-task.ts).
          expect(runs[0]!.phases?.map((p) => p.name)).toEqual([
            "preparing the workspace",
            "starting the sandbox",
            "working",
            "verifying",
            "publishing",
          ]);
          expect(runs[0]!.completed_at!.getTime()).toBeGreaterThanOrEqual(runs[0]!.dispatched_at.getTime());
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    },
    120_000,
  );

  it("--record with a server that does not answer fails before the model is asked anything", async () => {
    const repo = await createJsFixtureRepo();
    const server = await startScriptedModelServer([]);
    const { code, err } = await runAgainst(
      server,
      fixSumArgs(repo.dir, server, "Fix sum", "--record", "postgres://inhouse:s3cret@127.0.0.1:9/inhouse"),
    );
    expect(code).toBe(1);
    expect(err).toMatch(/cannot reach the PostgreSQL server of DATABASE_URL \(127\.0\.0\.1:9\/inhouse\)/);
    expect(err).not.toContain("s3cret");
    expect(server.requests).toHaveLength(0);
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
  });

  it("fixes the bug with a thinking coding model behind a server without tool parsing (Qwen3-Coder calls, <think> reasoning)", async () => {
    const repo = await createJsFixtureRepo();
    const qwen = forms["Qwen3-Coder <function=…><parameter=…>"]!;
    const danger = qwen({ name: "run", args: { command: "echo PWNED > pwned.txt" } });
    // vLLM without --enable-auto-tool-choice: tools refused, the model writes its calls as text.
    const server = await startScriptedModelServer(
      fixingCalls(repo).map((call) => ({
        kind: "reply" as const,
        reasoning: `Maybe ${danger}? No, that is out of scope.`,
        reasoningIn: "think-tags" as const,
        content: qwen(call),
      })),
      { rejectNativeTools: true },
    );
    const { code, out, err } = await runAgainst(server, fixSumArgs(repo.dir, server));
    expect(code, err).toBe(0);
    expect(out).toMatch(/verification: passed/);
    const patch = git(repo.dir, "show", "agent/local-fix-sum");
    expect(patch).toContain("+  return a + b;");
    expect(patch).not.toContain("pwned");
    expect(err).toMatch(/model writing|edit_file/);
  }, 90_000);
});

/** `inhouse run` on `repoDir` against a scripted model server: the task ("Fix sum"), then further options. */
function fixSumArgs(
  repoDir: string,
  server: { baseUrl: string; model: string },
  task = "Fix sum",
  ...options: string[]
): string[] {
  return [
    "run",
    "--repo",
    repoDir,
    "--task",
    task,
    "--base-url",
    server.baseUrl,
    "--model",
    server.model,
    ...options,
  ];
}

/** Runs the CLI in this process, closes the model server after it, and returns the exit code and what it wrote. */
async function runAgainst(
  server: { close(): Promise<void> },
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  try {
    const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env: {} });
    return { code, out: out.text(), err: err.text() };
  } finally {
    await server.close();
  }
}
