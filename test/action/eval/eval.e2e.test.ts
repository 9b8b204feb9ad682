/**
 * `inhouse eval` end to end, offline: a generated repository with real history and its export,
 * harvest in real sandboxes, a scripted model that solves a known subset, the report, honesty
 * (nothing held out inside the sandbox or the prompt during the agent's turn), resume after a
 * kill, and two profiles compared on the same instances with the suggested config change.
 */
import { execFile, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCli } from "../../../action/cli/main.ts";
import { readInstancesFile } from "../../../action/eval/instance.ts";
import type { EvalReport } from "../../../action/eval/report.ts";
import { readResults } from "../../../action/eval/results-log.ts";
import { latestEvalResults } from "../../../store/eval-history.ts";
import { openStore } from "../../../store/open-store.ts";
import { describeDocker } from "../../helpers/docker.ts";
import {
  createEvalFixture,
  type EvalFixture,
  type EvalFixturePair,
} from "../../helpers/eval-fixture-repo.ts";
import { solverSteps } from "../../helpers/eval-solver.ts";
import { git } from "../../helpers/fixture-repo.ts";
import { createTestDatabase, postgresAvailable } from "../../helpers/postgres.ts";
import { type ScriptedModelServer, startScriptedModelServer } from "../../helpers/scripted-model-server.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";

const run = promisify(execFile);

function capture() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const out = capture();
  const err = capture();
  const code = await runCli(args, { stdout: out.stream, stderr: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

/** Everything a process in the sandbox could read: every file, and every git object (packed or loose). */
async function sandboxContents(taskLabel: string): Promise<string> {
  const { stdout: id } = await run("docker", ["ps", "-q", "--filter", `label=inhouse.task=${taskLabel}`]);
  const container = id.trim().split("\n")[0];
  if (!container) throw new Error(`no running sandbox labelled ${taskLabel}`);
  const script =
    "cd /workspace && git cat-file --batch-all-objects --batch; git log --all --format='%H %s'; " +
    "find /workspace /tmp /home -type f -not -path '*/.git/objects/*' -exec cat {} + 2>/dev/null; true";
  const { stdout } = await run("docker", ["exec", container, "sh", "-c", script], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

describeDocker("inhouse eval on a generated repository", () => {
  let fixture: EvalFixture;
  let instancesPath: string;
  let restoreNock: () => void;
  const servers: ScriptedModelServer[] = [];
  beforeAll(async () => {
    await requireSandboxImage();
    restoreNock = allowDockerHijack();
    fixture = await createEvalFixture();
    instancesPath = join(fixture.dir, "..", "instances.json");
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await fixture?.cleanup();
    restoreNock?.();
  });

  it("harvests the instances whose reference passes its own tests, and says why the others are out", async () => {
    const result = await cli([
      "eval",
      "harvest",
      "--repo",
      fixture.dir,
      "--export",
      fixture.exportPath,
      "--out",
      instancesPath,
      "--concurrency",
      "2",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const file = await readInstancesFile(instancesPath);
    expect(file.instances.map((i) => i.issue)).toEqual([1, 3, 5, 11]);
    const reasons = Object.fromEntries(file.dropped.map((d) => [d.issue, d.reason]));
    expect(reasons[7]).toMatch(
      /^the reference change does not make its own tests pass: ".*greets by name" still fail/,
    );
    expect(reasons[9]).toBe("pull request #10 changed no test files");
    expect(reasons[13]).toBe("no merged pull request closes this issue");
    const sum = file.instances.find((i) => i.issue === 1)!;
    expect(sum.failToPass).toEqual([expect.stringMatching(/sum adds$/)]);
    expect(sum.passToPass).toEqual([expect.stringMatching(/greets by name$/)]);
    const subtract = file.instances.find((i) => i.issue === 11)!;
    expect(subtract.failToPass).toEqual([expect.stringMatching(/subtract subtracts$/)]);
    expect(subtract.passToPass).toHaveLength(4); // greet, sum, multiply, clamp: all passing at its base
    expect(result.stdout).toMatch(
      /dropped acme\/mathlib#7 \(PR #8\): the reference change does not make its own tests pass/,
    );
  }, 600_000);

  it("resumes after a kill: finished instances are kept, the rest run", async () => {
    const server = await startScriptedModelServer(solverSteps({ pairs: fixture.pairs, solves: [1, 3, 11] }));
    servers.push(server);
    const out = join(fixture.dir, "..", "run-killed");
    const file = await readInstancesFile(instancesPath);
    const subset = join(fixture.dir, "..", "instances-two.json");
    await writeFile(
      subset,
      JSON.stringify({ ...file, instances: file.instances.filter((i) => [1, 5].includes(i.issue)) }),
    );
    const args = [
      "eval",
      "run",
      "--repo",
      fixture.dir,
      "--instances",
      subset,
      "--out",
      out,
      "--base-url",
      server.baseUrl,
      "--model",
      server.model,
    ];
    const child = spawn(process.execPath, ["--import", "tsx", "action/cli/main.ts", ...args], {
      stdio: "ignore",
    });
    const results = join(out, "results.jsonl");
    const deadline = Date.now() + 240_000;
    while ((await readFile(results, "utf8").catch(() => "")).split("\n").filter(Boolean).length < 1) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error("the eval did not finish an instance");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const before = await readResults(results);
    expect(before).toHaveLength(1);

    const resumed = await cli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("resuming: 1 results kept from the earlier run, 1 to run");
    const after = await readResults(results);
    expect(after).toHaveLength(2);
    expect(after).toContainEqual(before[0]);
    expect(after.filter((r) => r.resolved).map((r) => r.instance)).toEqual(["acme/mathlib#1"]);
    // The first instance's task reached the model once: it was not run again.
    const tasks = server.requests.filter((r) => r.body.messages.every((m) => m.role !== "assistant"));
    const titles = tasks.map((r) => r.body.messages.find((m) => m.role === "user")!.content!.split("\n")[0]);
    expect(titles.filter((title) => title === "# sum() subtracts instead of adding")).toHaveLength(1);
    expect(titles).toContain("# Add a clamp() helper");
    // The killed run's sandbox went with the resume's cleaning.
    const { stdout } = await run("docker", ["ps", "-aq", "--filter", `label=inhouse.owner=${child.pid}`]);
    expect(stdout.trim()).toBe("");
  }, 600_000);

  it("compares two profiles on the same instances: resolved counts exactly the subsets each model solves, nothing held out reaches the agent, the better one suggested on a branch", async () => {
    const snapshots = new Map<string, string>();
    const probe = (profile: string) => async (pair: EvalFixturePair) => {
      snapshots.set(`${profile}#${pair.issue}`, await sandboxContents(`eval-${profile}-${pair.issue}`));
    };
    const strong = await startScriptedModelServer(
      solverSteps({ pairs: fixture.pairs, solves: [1, 3, 11], onFirstTurn: probe("gpu") }),
      { model: "big-32b" },
    );
    const weak = await startScriptedModelServer(
      solverSteps({ pairs: fixture.pairs, solves: [1], onFirstTurn: probe("workstation") }),
      { model: "small-7b" },
    );
    servers.push(strong, weak);
    const profilesFile = join(fixture.dir, "..", "profiles.yml");
    await writeFile(
      profilesFile,
      `profiles:\n  workstation:\n    baseUrl: ${weak.baseUrl}\n    model: small-7b\n  gpu:\n    baseUrl: ${strong.baseUrl}\n    model: big-32b\n    price: { prompt: 1, completion: 2 }\n`,
    );
    const main = git(fixture.dir, "rev-parse", "main").trim();
    // The run history: the PostgreSQL test server (CI requires it), else an embedded store of its own.
    const database = postgresAvailable ? await createTestDatabase() : undefined;
    const historyEnv: Record<string, string> = database
      ? { DATABASE_URL: database.url }
      : { INHOUSE_DATA_DIR: join(fixture.dir, "..", "history") };
    const out = join(fixture.dir, "..", "run-two");
    const result = await cli(
      [
        "eval",
        "run",
        "--repo",
        fixture.dir,
        "--instances",
        instancesPath,
        "--out",
        out,
        "--profiles",
        "workstation,gpu",
        "--profiles-file",
        profilesFile,
        "--concurrency",
        "2",
        "--suggest",
      ],
      historyEnv,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as EvalReport;
    expect(report.profiles.map((p) => [p.profile, p.model, p.resolved, p.instances])).toEqual([
      ["workstation", "small-7b", 1, 4],
      ["gpu", "big-32b", 3, 4],
    ]);
    expect(report.profiles[0]!.cost).toBeNull();
    expect(report.profiles[1]!.cost).toBeGreaterThan(0);
    expect(report.best).toBe("gpu");
    expect(new Set(report.results.filter((r) => r.profile === "gpu").map((r) => r.instance))).toEqual(
      new Set(report.results.filter((r) => r.profile === "workstation").map((r) => r.instance)),
    );
    expect(result.stdout).toContain("Suggested change: branch eval/model-gpu");
    expect(result.stdout).toContain("Recorded in the run history");
    const store = await openStore({
      databaseUrl: historyEnv.DATABASE_URL,
      dataDir: historyEnv.INHOUSE_DATA_DIR,
    });
    try {
      const recorded = await latestEvalResults(store.db, ["acme/mathlib"]);
      expect(recorded.map((r) => [r.profile, r.resolved, r.instances, r.best])).toEqual([
        ["gpu", 3, 4, true],
        ["workstation", 1, 4, false],
      ]);
    } finally {
      await store.close();
      await database?.drop();
    }
    expect(git(fixture.dir, "rev-parse", "main").trim()).toBe(main);
    const suggested = git(fixture.dir, "show", "eval/model-gpu:.github/agent.yml");
    expect(suggested).toContain("profile: gpu");
    expect(suggested).toContain("limits: { turns: 8, minutes: 5 }");
    expect(git(fixture.dir, "diff", "--name-only", "main", "eval/model-gpu").trim()).toBe(
      ".github/agent.yml",
    );
    expect(git(fixture.dir, "status", "--porcelain").trim()).toBe("");
    const resolved = Object.fromEntries(
      report.results.filter((r) => r.profile === "gpu").map((r) => [r.instance, r.resolved]),
    );
    expect(resolved).toEqual({
      "acme/mathlib#1": true,
      "acme/mathlib#3": true,
      "acme/mathlib#5": false,
      "acme/mathlib#11": true,
    });
    expect(await readFile(join(out, "report.md"), "utf8")).toContain("| gpu (best) | big-32b | 3/4 |");

    // Honest by construction: during the agent's turn the sandbox holds nothing held out...
    const instances = (await readInstancesFile(instancesPath)).instances;
    expect([...snapshots.keys()].sort()).toEqual(
      ["gpu", "workstation"].flatMap((p) => [1, 11, 3, 5].map((n) => `${p}#${n}`)).sort(),
    );
    for (const [key, seen] of snapshots) {
      const instance = instances.find((i) => key.endsWith(`#${i.issue}`))!;
      expect(seen).toContain("// more math below"); // the probe did read the repository
      const pair = fixture.pairs.find((p) => p.issue === instance.issue)!;
      for (const line of pair.heldOutLines) expect(seen, `${key}: ${line}`).not.toContain(line);
      expect(seen).not.toContain(instance.mergeCommit);
    }
    // ...and no request to the model carries it, nor the comments written after the PR was opened.
    for (const request of [...strong.requests, ...weak.requests]) {
      const given = request.body.messages
        .filter((m) => m.role !== "assistant")
        .map((m) => m.content ?? "")
        .join("\n");
      const pair = fixture.pairs.find((p) => given.includes(`# ${p.title}\n`))!;
      expect(given).not.toContain("LATER-COMMENT");
      expect(given).toContain("I can reproduce this on main.");
      const firstTurn = request.body.messages.every((m) => m.role !== "assistant");
      if (firstTurn) for (const line of pair.heldOutLines) expect(given).not.toContain(line);
    }
  }, 1_200_000);
});
