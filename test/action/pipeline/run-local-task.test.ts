/**
 * The CLI's adapter of the task pipeline (`action/pipeline/local/`) without Docker: the action's
 * workspace code clones the user's repository, a host-directory sandbox stands in for the container,
 * and the action's publish policy judges the change before a branch is pushed back. The Docker run
 * of the same path is `test/action/cli/cli.e2e.test.ts`.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AgentResult, AgentRunOptions } from "../../../action/agent/types.ts";
import { DEFAULT_PATCH_LIMITS } from "../../../action/job/action-inputs.ts";
import { Refusal } from "../../../action/job/task-errors.ts";
import { type LocalTask, runLocalTask } from "../../../action/pipeline/local/run-local-task.ts";
import type { TaskRun } from "../../../action/pipeline/task-run.ts";
import { PhaseClock } from "../../../action/summary/phases.ts";
import { defaultConfig } from "../../../core/config.ts";
import { createJsFixtureRepo, type FixtureRepo, git } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";

function finished(): AgentResult {
  return {
    outcome: "finished",
    reason: "the model finished and the tests pass",
    summary: "Fixed the operator.",
    reviewComments: [],
    turns: 3,
    tokens: { prompt: 10, completion: 5, total: 15, estimated: false },
    durationMs: 1000,
  };
}

/** An agent that writes `files` into the sandbox and finishes. */
function writing(files: Record<string, string>) {
  return async (options: AgentRunOptions): Promise<AgentResult> => {
    for (const [path, content] of Object.entries(files)) await options.sandbox.writeFile(path, content);
    return finished();
  };
}

function newRun(): TaskRun & { entered: string[] } {
  const clock = new PhaseClock();
  const entered: string[] = [];
  return {
    clock,
    entered,
    enter: (phase) => {
      entered.push(phase);
      clock.start(phase);
    },
    redact: (text) => text,
    warn: () => undefined,
  };
}

function task(repo: FixtureRepo, runAgent: LocalTask["runAgent"]): LocalTask {
  const config = defaultConfig();
  return {
    repo: repo.dir,
    text: { kind: "fix-issue", title: "Fix sum", body: "sum() subtracts" },
    slug: "fix-sum",
    config,
    model: { baseUrl: "http://127.0.0.1:9/v1", apiKey: "", model: "m" } as LocalTask["model"],
    limits: {
      agent: { turns: 5, tokens: 1000, minutes: 1, callsPerTurn: 4 },
      memoryMb: 512,
      cpus: 1,
      pids: 64,
      network: { setup: "none", agent: "none" },
      allowlist: [],
      internalRanges: [],
      image: "unused",
    },
    patchLimits: DEFAULT_PATCH_LIMITS,
    auditPath: join(repo.dir, "..", "audit.jsonl"),
    createSandbox: () => createLocalSandbox(),
    runAgent,
    onProgress: () => undefined,
    note: () => undefined,
  };
}

const fixed = (repo: FixtureRepo) => ({
  [repo.bug.path]: `export function sum(a, b) {\n  ${repo.bug.fixed}\n}\n`,
});

describe("the local adapter of the task pipeline", () => {
  it("pushes a new agent/local-* branch and leaves the user's tree, index and branch as they were", async () => {
    const repo = await createJsFixtureRepo();
    git(repo.dir, "checkout", "-q", "-b", "my-work");
    await writeFile(join(repo.dir, "README.md"), "# my uncommitted edit\n");
    git(repo.dir, "add", "README.md");
    const head = git(repo.dir, "rev-parse", "HEAD");
    const status = git(repo.dir, "status", "--porcelain");
    const run = newRun();

    const first = await runLocalTask(run, task(repo, writing(fixed(repo))));
    const second = await runLocalTask(newRun(), task(repo, writing(fixed(repo))));

    expect(first.branch).toBe("agent/local-fix-sum");
    expect(second.branch).toBe("agent/local-fix-sum-2");
    expect(first.diffStat).toMatch(/src\/sum\.js \| 2 \+-/);
    expect(git(repo.dir, "show", "agent/local-fix-sum:src/sum.js")).toContain(repo.bug.fixed);
    expect(git(repo.dir, "log", "-1", "--format=%an <%ae>%n%B", "agent/local-fix-sum")).toMatch(
      /^inhouse agent <agent@inhouse\.invalid>\nFix sum\n\nFixed the operator\.\n\nAgent-Outcome: finished/,
    );
    // Started from the user's HEAD, not from their uncommitted edit.
    expect(git(repo.dir, "rev-parse", "agent/local-fix-sum~1").trim()).toBe(head.trim());
    expect(git(repo.dir, "show", "agent/local-fix-sum:README.md")).toBe("# fixture\n\nAdds numbers.\n");
    expect(git(repo.dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo.dir, "rev-parse", "--abbrev-ref", "HEAD").trim()).toBe("my-work");
    expect(git(repo.dir, "status", "--porcelain")).toBe(status);
    expect(run.entered).toEqual(["preparing the workspace", "starting the sandbox", "working", "publishing"]);
    expect(run.sandbox).toBeUndefined();
  });

  it("refuses a change to a protected path with the action's reason, pushing no branch", async () => {
    const repo = await createJsFixtureRepo({ ".github/workflows/ci.yml": "on: push\n" });
    const before = git(repo.dir, "for-each-ref", "refs/heads");
    const attempt = runLocalTask(
      newRun(),
      task(repo, writing({ ...fixed(repo), ".github/workflows/ci.yml": "on: [push, pull_request]\n" })),
    );
    await expect(attempt).rejects.toBeInstanceOf(Refusal);
    await expect(attempt).rejects.toThrow(
      /protected paths: `\.github\/workflows\/ci\.yml` \(matches `\.github\/workflows\/\*\*`\)/,
    );
    expect(git(repo.dir, "for-each-ref", "refs/heads")).toBe(before);
  });

  it("refuses a change over the runner's size limit, as the action's max-patch-bytes does", async () => {
    const repo = await createJsFixtureRepo();
    const small = {
      ...task(repo, writing({ "big.txt": "x".repeat(5000) })),
      patchLimits: { maxBytes: 1000, maxFiles: 10 },
    };
    await expect(runLocalTask(newRun(), small)).rejects.toThrow(/over the runner's limit of 1000/);
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
  });

  it("publishes nothing from an agent that failed", async () => {
    const repo = await createJsFixtureRepo();
    const failing = async (options: AgentRunOptions): Promise<AgentResult> => {
      await options.sandbox.writeFile(repo.bug.path, "broken");
      return { ...finished(), outcome: "failed", reason: "the model endpoint went away" };
    };
    await expect(runLocalTask(newRun(), task(repo, failing))).rejects.toThrow(
      "the agent stopped: the model endpoint went away",
    );
    expect(git(repo.dir, "branch", "--list", "agent/*")).toBe("");
  });

  it("works from a detached HEAD: the branch starts at that commit", async () => {
    const repo = await createJsFixtureRepo();
    await writeFile(join(repo.dir, "NEW.md"), "later\n");
    git(repo.dir, "add", "NEW.md");
    git(repo.dir, "commit", "-q", "-m", "later");
    git(repo.dir, "checkout", "-q", "--detach", "HEAD~1");
    const head = git(repo.dir, "rev-parse", "HEAD").trim();
    const outcome = await runLocalTask(newRun(), task(repo, writing(fixed(repo))));
    expect(git(repo.dir, "rev-parse", `${outcome.branch}~1`).trim()).toBe(head);
    expect(git(repo.dir, "rev-parse", "HEAD").trim()).toBe(head);
  });
});
