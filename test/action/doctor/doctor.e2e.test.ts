/**
 * `inhouse doctor` against real pieces: the Docker engine with the built images, scripted model
 * servers spoken to over HTTP, the local GitHub with the App's own key. A healthy host passes; then
 * each piece is broken in turn and the report names it and its fix.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../action/cli/main.ts";
import type { CheckResult } from "../../../action/doctor/check.ts";
import { type DoctorOptions, runDoctor } from "../../../action/doctor/run-doctor.ts";
import { LocalGitHub } from "../../e2e/local-github/local-github.ts";
import { describeDocker } from "../../helpers/docker.ts";
import {
  type ScriptedModelServer,
  startScriptedModelServer,
  step,
} from "../../helpers/scripted-model-server.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";

const APP_YML = await readFile(join(import.meta.dirname, "../../../app.yml"), "utf8");
/** The project's manifest plus Administration: read, which listing a repository's runners needs. */
const WITH_RUNNER_LISTING = APP_YML.replace("  metadata: read", "  metadata: read\n  administration: read");
/** A manifest someone registered with Contents: read instead of write. */
const WITHOUT_CONTENTS_WRITE = WITH_RUNNER_LISTING.replace("  contents: write", "  contents: read");

const WORKFLOW = "name: agent\non:\n  workflow_dispatch:\n    inputs:\n      task:\n        required: true\n";
const report = { status: "ok" };

function byId(results: CheckResult[], id: string): CheckResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no check ${id} in ${results.map((r) => r.id).join(", ")}`);
  return found;
}

async function githubWith(manifest: string, runner: "online" | "offline" | "none", workflow: boolean) {
  const github = await LocalGitHub.start({ owner: "acme", manifest: { text: manifest } });
  const files: Record<string, string> = workflow
    ? { ".github/workflows/agent.yml": WORKFLOW }
    : { "README.md": "runners\n" };
  const repo = await github.createRepo("agent-runners", files);
  if (runner !== "none") github.addRunner(repo, { name: "build-7", labels: ["agent"], status: runner });
  return github;
}

describeDocker("inhouse doctor", () => {
  let dir: string;
  let native: ScriptedModelServer;
  let text: ScriptedModelServer;
  let restoreNock: () => void = () => undefined;
  const opened: LocalGitHub[] = [];

  async function options(github: LocalGitHub, change: Partial<DoctorOptions> = {}): Promise<DoctorOptions> {
    return {
      docker: { image: "inhouse-sandbox:latest", proxyImage: "inhouse-egress-proxy:latest" },
      host: { cacheDir: join(dir, "cache"), minDiskGb: 1, sandboxMemoryMb: 1024 },
      model: { profilesFile: join(dir, "models.yml"), env: {} },
      github: {
        apiUrl: github.url,
        appId: String(github.app.id),
        privateKeyFile: join(dir, "app.pem"),
        repo: { owner: "acme", name: "agent-runners" },
        workflow: "agent.yml",
        label: "agent",
        runnerDir: join(dir, "actions-runner"),
      },
      ...change,
    };
  }

  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    dir = await mkdtemp(join(tmpdir(), "doctor-"));
    native = await startScriptedModelServer([], { info: { vllm: { maxModelLen: 32_768 } } });
    text = await startScriptedModelServer([], { info: { llamaCpp: { nCtx: 16_384 } } });
    await writeFile(
      join(dir, "models.yml"),
      `profiles:\n  default: { baseUrl: "${native.baseUrl}", model: ${native.model} }\n` +
        `  small: { baseUrl: "${text.baseUrl}", model: ${text.model}, toolCalling: text }\n`,
    );
    // What `Runner.Listener --version` prints (actions/runner src/Runner.Listener/Program.cs): the version alone.
    await mkdir(join(dir, "actions-runner", "bin"), { recursive: true });
    await writeFile(join(dir, "actions-runner", "bin", "Runner.Listener"), "#!/bin/sh\necho 2.328.0\n");
    await chmod(join(dir, "actions-runner", "bin", "Runner.Listener"), 0o755);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([native?.close(), text?.close(), ...opened.map((g) => g.close())]);
    await rm(dir, { recursive: true, force: true });
    restoreNock();
  });

  /** One tool call and one probe answer per profile, as a healthy server gives. */
  function healthyModels() {
    native.push(step.tool("report_status", report), step.text("OK"));
    text.push(
      step.text(`<tool_call>\n${JSON.stringify({ name: "report_status", arguments: report })}\n</tool_call>`),
      step.text("OK"),
    );
  }

  async function started(
    manifest: string,
    runner: "online" | "offline" | "none" = "online",
    workflow = true,
  ) {
    const github = await githubWith(manifest, runner, workflow);
    opened.push(github);
    await writeFile(join(dir, "app.pem"), github.app.privateKey);
    return github;
  }

  it("passes on a healthy host and says how each piece was found", async () => {
    const github = await started(WITH_RUNNER_LISTING);
    healthyModels();
    const results = await runDoctor(await options(github), {});
    expect(results.filter((r) => r.status === "fail")).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      "docker.reachable",
      "docker.image.sandbox",
      "docker.image.proxy",
      "docker.runtime",
      "docker.hardening",
      "docker.egress-proxy",
      "host.disk",
      "host.memory",
      "model.profiles-file",
      "model.default",
      "model.small",
      "github.installation",
      "github.workflow",
      "github.runner-online",
      "github.runner-version",
    ]);
    expect(byId(results, "docker.hardening").summary).toMatch(
      /uid 1000 with no capabilities, a read-only root and no Docker socket/,
    );
    expect(byId(results, "docker.egress-proxy").summary).toMatch(/refuses a host outside its list \(403\)/);
    expect(byId(results, "model.default").details).toMatchObject({ mode: "native", contextWindow: 32_768 });
    expect(byId(results, "model.small").details).toMatchObject({ mode: "text", contextWindow: 16_384 });
    expect(byId(results, "model.default").details?.latencyMs).toEqual(expect.any(Number));
    expect(byId(results, "github.runner-online").summary).toMatch(/build-7 labelled 'agent' online/);
    expect(byId(results, "github.runner-version").summary).toMatch(/2\.328\.0/);
  }, 180_000);

  it("names a model endpoint that is down, and its fix", async () => {
    const github = await started(WITH_RUNNER_LISTING);
    await writeFile(
      join(dir, "down.yml"),
      "profiles:\n  default: { baseUrl: 'http://127.0.0.1:9/v1', model: m }\n",
    );
    const base = await options(github);
    const results = await runDoctor({ ...base, model: { profilesFile: join(dir, "down.yml"), env: {} } }, {});
    const model = byId(results, "model.default");
    expect(model.status).toBe("fail");
    expect(model.summary).toMatch(/127\.0\.0\.1:9/);
    expect(model.fix).toMatch(/start the model server or correct baseUrl\/model for profile 'default'/);
  }, 120_000);

  it("names a missing image and a missing runtime with the commands that fix them", async () => {
    const github = await started(WITH_RUNNER_LISTING);
    healthyModels();
    const base = await options(github);
    const results = await runDoctor(
      {
        ...base,
        docker: { image: "inhouse-sandbox:never-built", proxyImage: base.docker.proxyImage, runtime: "kata" },
      },
      {},
    );
    const image = byId(results, "docker.image.sandbox");
    expect(image).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("bash runner-image/build.sh"),
    });
    expect(image.summary).toMatch(/inhouse-sandbox:never-built is not built/);
    const runtime = byId(results, "docker.runtime");
    expect(runtime.status).toBe("fail");
    expect(runtime.summary).toMatch(/runtime 'kata' is not registered .* install Kata Containers/);
    // No sandbox is started on a host that cannot run one.
    expect(results.map((r) => r.id)).not.toContain("docker.hardening");
  }, 120_000);

  it("names an App without Contents: write, and where to grant it", async () => {
    const github = await started(WITHOUT_CONTENTS_WRITE);
    healthyModels();
    const results = await runDoctor(await options(github), {});
    const installation = byId(results, "github.installation");
    expect(installation.status).toBe("fail");
    expect(installation.summary).toBe("the App's installation on acme/agent-runners lacks contents: write");
    expect(installation.fix).toMatch(/Permissions & events\) grant contents: write/);
  }, 180_000);

  it("names a runner that is offline, and a repository without a runner or workflow", async () => {
    const offline = await started(WITH_RUNNER_LISTING, "offline");
    healthyModels();
    const results = await runDoctor(await options(offline), {});
    expect(byId(results, "github.runner-online")).toMatchObject({
      status: "fail",
      summary: "no runner labelled 'agent' is online for acme/agent-runners (offline: build-7)",
      fix: expect.stringContaining("sudo ./svc.sh start"),
    });
    const none = await started(WITH_RUNNER_LISTING, "none", false);
    healthyModels();
    const bare = await runDoctor(await options(none), {});
    expect(byId(bare, "github.runner-online").fix).toMatch(
      /install-runner-host\.sh --repo acme\/agent-runners/,
    );
    expect(byId(bare, "github.workflow")).toMatchObject({
      status: "fail",
      summary: "acme/agent-runners has no .github/workflows/agent.yml, where the App dispatches tasks",
      fix: expect.stringContaining("copy the template .github/workflows/agent.yml"),
    });
  }, 240_000);

  it("prints JSON for automation and exits 1 on a failure", async () => {
    const github = await started(WITHOUT_CONTENTS_WRITE);
    healthyModels();
    let out = "";
    const io = {
      stdout: {
        write(s: string) {
          out += s;
          return true;
        },
      },
      stderr: { write: () => true },
      env: {
        INHOUSE_MODEL_PROFILES: join(dir, "models.yml"),
        INHOUSE_APP_ID: String(github.app.id),
        INHOUSE_APP_PRIVATE_KEY_FILE: join(dir, "app.pem"),
        GITHUB_API_URL: github.url,
      },
    };
    const code = await runCli(
      [
        "doctor",
        "--json",
        "--repo",
        "acme/agent-runners",
        "--cache-dir",
        join(dir, "cache"),
        "--runner-dir",
        join(dir, "actions-runner"),
      ],
      io as never,
    );
    expect(code).toBe(1);
    const parsed = JSON.parse(out) as { ok: boolean; checks: CheckResult[] };
    expect(parsed.ok).toBe(false);
    expect(parsed.checks.filter((c) => c.status === "fail").map((c) => c.id)).toEqual([
      "github.installation",
    ]);
  }, 180_000);
});
