import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { leftoverAgeMs } from "../../action/leftover-cleaner.ts";
import { removeLeftoverSandboxes } from "../../action/sandbox/pool/leftovers.ts";
import { describeDocker } from "../helpers/docker.ts";
import { type RecordedRequest, type ScriptedReply, step } from "../helpers/scripted-model-server.ts";
import { runLogs, statusComments } from "./helpers/system-assertions.ts";
import { agentWorkflow, startWholeSystem, type WholeSystem } from "./helpers/whole-system.ts";
import { runGit } from "./local-github/git-repos.ts";
import type { IssueRecord, RepoRecord } from "./local-github/state.ts";

/**
 * Issue 17, item 6: four tasks at once on one runner host (four runner processes), on four issues
 * of one repository, so they share its mirror (and its lock), the Docker daemon, and the proxy
 * image. Each task runs under the allowlist profile, so each has its own sandbox, workspace volume,
 * internal network and egress proxy. Each ends with its own PR holding exactly its own change;
 * nothing is left behind; and the leftover cleaner, run as each task runs it while all four are
 * live, removes none of their resources.
 */
const NAMES = ["alpha", "bravo", "charlie", "delta"] as const;
const TEST_COMMAND = "node --test test/";

interface Task {
  name: (typeof NAMES)[number];
  path: string;
  title: string;
  issue?: IssueRecord;
}

const tasks: Task[] = NAMES.map((name) => ({
  name,
  path: `src/${name}.js`,
  title: `greeting of ${name} is too short`,
}));

function files(workflow: string): Record<string, string> {
  const entries: Record<string, string> = {
    "package.json": `${JSON.stringify({ name: "quartet", type: "module", scripts: { test: TEST_COMMAND } })}\n`,
    "test/names.test.js":
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\n' +
      NAMES.map((n) => `import { ${n} } from "../src/${n}.js";`).join("\n") +
      `\n\ntest("every greeting starts with hello", () => {\n${NAMES.map((n) => `  assert.match(${n}, /^hello/);`).join("\n")}\n});\n`,
    ".github/agent.yml": [
      "commands:",
      `  test: ${TEST_COMMAND}`,
      "sandbox:",
      "  network: allowlist",
      "  allowlist: [registry.npmjs.org]",
      "",
    ].join("\n"),
    ".github/workflows/agent.yml": workflow,
  };
  for (const name of NAMES) entries[`src/${name}.js`] = `export const ${name} = "hello";\n`;
  return entries;
}

/**
 * One scripted model for four concurrent conversations: every request is answered by the task its
 * thread names (the issue title in the prompt), at the turn its own history has reached.
 */
function routedReply(request: RecordedRequest): ScriptedReply {
  const prompt = request.body.messages
    .map((m) => (typeof m.content === "string" ? m.content : ""))
    .join("\n");
  const task = tasks.find((t) => prompt.includes(t.title));
  if (!task) return step.text("no task of this test is named in the request");
  const turn = request.body.messages.filter((m) => m.role === "assistant").length;
  const script = [
    step.tool("read_file", { path: task.path }),
    step.tool("edit_file", { path: task.path, oldText: '"hello"', newText: `"hello, ${task.name}"` }),
    step.tool("run", { command: TEST_COMMAND }),
    step.tool("finish", { summary: `Longer greeting for ${task.name}.` }),
  ];
  return script[turn] ?? step.text(`turn ${turn} is past the script of ${task.name}`);
}

async function inhouseResources(docker: Docker, owner: string) {
  const filters = { label: ["inhouse.sandbox=1"] };
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) =>
    (c.Labels["inhouse.repo"] ?? "").startsWith(`${owner}/`),
  );
  const networks = (await docker.listNetworks({ filters })).filter((n) =>
    (n.Labels?.["inhouse.repo"] ?? "").startsWith(`${owner}/`),
  );
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).filter((v) =>
    (v.Labels?.["inhouse.repo"] ?? "").startsWith(`${owner}/`),
  );
  return { containers, networks, volumes };
}

describeDocker("many tasks on one host", () => {
  let system: WholeSystem;
  let repo: RepoRecord;
  let cacheDir: string;
  const docker = new Docker();

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "many-tasks-cache-"));
    system = await startWholeSystem([], {
      // No warm pool: four tasks each make their own sandbox, the case under test.
      sandboxPool: "0",
      runnerInputs: { "allowed-networks": "none,allowlist", "cache-dir": cacheDir },
    });
    repo = await system.github.createRepo("quartet", files(await agentWorkflow()));
    system.github.addCollaborator(repo, "alice", "write");
    for (const task of tasks) {
      task.issue = system.github.openIssue(repo, { title: task.title, body: `${task.path}`, user: "alice" });
    }
  }, 60_000);

  afterAll(async () => {
    await system?.close();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it("four at once: four PRs, each with only its own change; the cleaner spares live tasks; nothing left", async () => {
    system.model.push(...Array.from({ length: tasks.length * 4 }, () => routedReply));
    for (const task of tasks) await system.github.labelIssue(task.issue!, "agent", "alice");

    // While all four run, the cleaner each task runs first (same rules: age, owner process) runs
    // again and again: it must remove nothing of theirs.
    const cleaned = { containers: 0, volumes: 0, networks: 0 };
    const peak = { running: 0, proxies: 0, networks: 0, volumes: 0, cleanerSees: 0 };
    let settled = false;
    const settling = system.settle().then(() => {
      settled = true;
    });
    while (!settled) {
      const live = await inhouseResources(docker, system.owner);
      const running = live.containers.filter((c) => c.State === "running");
      peak.running = Math.max(peak.running, running.length);
      peak.proxies = Math.max(
        peak.proxies,
        running.filter((c) => c.Names.some((n) => n.startsWith("/inhouse-proxy-"))).length,
      );
      peak.networks = Math.max(peak.networks, live.networks.length);
      peak.volumes = Math.max(peak.volumes, live.volumes.length);
      const label = `inhouse.repo=${repo.owner.login}/${repo.name}`;
      const seen = await docker.listContainers({ all: true, filters: { label: [label] } });
      peak.cleanerSees = Math.max(peak.cleanerSees, seen.length);
      // Scoped to this system's repository, so other suites' leftovers stay theirs to judge.
      const report = await removeLeftoverSandboxes({
        olderThanMs: leftoverAgeMs(5),
        labels: [`inhouse.repo=${repo.owner.login}/${repo.name}`],
        docker,
      });
      cleaned.containers += report.containers.length;
      cleaned.volumes += report.volumes.length;
      cleaned.networks += report.networks.length;
      await Promise.race([settling, new Promise((resolve) => setTimeout(resolve, 300))]);
    }
    expect(cleaned).toEqual({ containers: 0, volumes: 0, networks: 0 });
    // The tasks overlapped: sandboxes, proxies, networks and volumes of several tasks at once
    // (so the "nothing left" below looks at resources that did exist).
    expect(peak.running, JSON.stringify(peak)).toBeGreaterThan(2);
    expect(peak.proxies, JSON.stringify(peak)).toBeGreaterThan(1);
    expect(peak.networks, JSON.stringify(peak)).toBeGreaterThan(1);
    expect(peak.volumes, JSON.stringify(peak)).toBeGreaterThan(1);
    // The cleaner's label filter matched the live tasks: it judged them and kept them.
    expect(peak.cleanerSees, JSON.stringify(peak)).toBeGreaterThan(2);

    const pulls = system.github.pulls(repo);
    expect(pulls, runLogs(system)).toHaveLength(tasks.length);
    for (const task of tasks) {
      const pull = pulls.find((p) => p.body?.includes(`Closes #${task.issue!.number}`));
      expect(pull, `${task.name}: ${runLogs(system)}`).toBeDefined();
      const changed = await runGit(["-C", repo.gitDir, "diff", "--name-only", "main", pull!.pull.headRef]);
      expect(changed.toString().trim().split("\n")).toEqual([task.path]);
      expect(await system.github.readFile(repo, pull!.pull.headRef, task.path)).toContain(
        `hello, ${task.name}`,
      );
      expect(statusComments(system, task.issue!).map((s) => s.marker.state)).toEqual(["succeeded"]);
    }
    expect(system.model.remaining).toBe(0);
    expect(system.github.state.runs.map((run) => run.conclusion)).toEqual(tasks.map(() => "success"));

    // Nothing left behind: sandboxes, proxies, workspace volumes, networks, mirror locks.
    const left = await inhouseResources(docker, system.owner);
    expect(left.containers.map((c) => c.Names)).toEqual([]);
    expect(left.networks.map((n) => n.Name)).toEqual([]);
    expect(left.volumes.map((v) => v.Name)).toEqual([]);
    const cache = await readdir(cacheDir, { recursive: true });
    expect(cache.filter((entry) => String(entry).endsWith(".lock"))).toEqual([]);
  }, 110_000);
});
