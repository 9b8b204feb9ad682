import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { openMcpServers } from "../../../action/mcp/open-mcp-servers.ts";
import { createSandbox, type DockerSandbox } from "../../../action/sandbox/index.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { type ScriptedStep, startScriptedModelServer, step } from "../../helpers/scripted-model-server.ts";
import { allowDockerHijack, git, requireSandboxImage } from "../sandbox/sandbox-helpers.ts";

/**
 * An MCP server a repository names by command runs inside the sandbox, over stdio: as the sandbox
 * user, in /workspace, under the sandbox's network profile (here `none`: it cannot reach a port the
 * runner can), with no credential in its environment. A server that crashes mid-task ends only its
 * own tools, with a message, and the task carries on.
 */
const SERVER = join(import.meta.dirname, "../../fixtures/mcp/stdio-server.cjs");

describeDocker("a stdio MCP server inside the sandbox", () => {
  let sandbox: DockerSandbox;
  let restoreNock: () => void = () => undefined;
  let repoDir: string;
  // A port the runner can reach on its loopback; the sandbox (network none) cannot.
  const listener = createServer((socket) => socket.destroy());
  let hostPort = 0;

  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    hostPort = (listener.address() as AddressInfo).port;
    repoDir = await mkdtemp(join(tmpdir(), "mcp-repo-"));
    await copyFile(SERVER, join(repoDir, "mcp-server.cjs"));
    git(repoDir, "init", "-q", "-b", "main");
    git(repoDir, "add", ".");
    git(repoDir, "commit", "-q", "-m", "init");
    sandbox = await createSandbox({ taskId: "test-mcp-stdio", network: "none" });
    await sandbox.seed(repoDir);
  });
  afterAll(async () => {
    await sandbox?.destroy();
    restoreNock();
    await rm(repoDir, { recursive: true, force: true });
    listener.close();
  });

  async function run(steps: ScriptedStep[]) {
    const model = await startScriptedModelServer(steps);
    const auditPath = join(repoDir, "..", `audit-stdio-${Date.now()}.jsonl`);
    try {
      const result = await runAgent({
        sandbox,
        model: {
          baseUrl: model.baseUrl,
          apiKey: "sk-model-key-123456",
          model: model.model,
          toolCalling: "native",
        },
        task: { kind: "fix-issue", title: "Where does it run?", body: "Ask the repo's own tools." },
        commands: { setup: [], test: "true" },
        limits: { turns: 10, tokens: 1_000_000, minutes: 3 },
        secrets: ["sk-model-key-123456"],
        auditPath,
        tuning: { retryBaseDelayMs: 1 },
        openMcp: (onEvent) =>
          openMcpServers({
            servers: { repo: { command: ["node", "mcp-server.cjs"] } },
            remote: {},
            sandbox,
            secrets: ["sk-model-key-123456"],
            onEvent,
          }),
      });
      return { result, model, audit: await readFile(auditPath, "utf8") };
    } finally {
      await model.close();
    }
  }

  const lastToolResult = (messages: { role: string; content?: string | null }[]) =>
    messages.filter((m) => m.role === "tool").at(-1)?.content ?? "";

  it("is called by the model, runs as the sandbox user in /workspace, and cannot reach what the runner can", async () => {
    const { result, model, audit } = await run([
      step.tool("repo__whereami", { port: hostPort }),
      step.tool("finish", { summary: "Asked." }),
    ]);
    expect(result.outcome).toBe("finished");
    const answer = lastToolResult(model.requests[1]!.body.messages);
    expect(answer).toMatch(
      /cwd=\/workspace uid=1000 host-port=unreachable \((ECONNREFUSED|ENETUNREACH|timeout)\) token=none/,
    );
    expect(audit).toContain('"type":"mcp_server","server":"repo","kind":"stdio"');
    // Closed at task end: no server process is left in the container.
    const running = "grep -l '[m]cp-server.cjs' /proc/[0-9]*/cmdline 2>/dev/null | wc -l";
    expect((await sandbox.exec(running)).stdout.trim()).toBe("0");
    // The probe itself finds a live server (so the zero above means something).
    const probe = await sandbox.spawn(["node", "mcp-server.cjs"]);
    const whenStarted = `for i in $(seq 50); do n=$(${running}); [ "$n" -gt 0 ] && break; sleep 0.1; done; echo $n`;
    expect(Number((await sandbox.exec(whenStarted)).stdout.trim())).toBeGreaterThan(0);
    await probe.stop(500);
    expect((await sandbox.exec(running)).stdout.trim()).toBe("0");
  }, 120_000);

  it("a server that crashes mid-task ends only its tools, with a message; the built-in tools go on", async () => {
    const { result, model, audit } = await run([
      step.tool("repo__crash", {}),
      step.tool("repo__whereami", { port: 1 }),
      step.tool("run", { command: "echo still-here" }),
      step.tool("finish", { summary: "Done without it." }),
    ]);
    expect(result.outcome).toBe("finished");
    expect(lastToolResult(model.requests[1]!.body.messages)).toMatch(/repo.*(ended|closed)/i);
    const afterCrash = lastToolResult(model.requests[2]!.body.messages);
    expect(afterCrash).toMatch(
      /The MCP server repo ended with exit code 3 \(its last output: repo-tools: crashing on purpose\); its tools are no longer available/,
    );
    expect(lastToolResult(model.requests[3]!.body.messages)).toContain("still-here");
    expect(audit).toContain('"type":"mcp_server_ended","server":"repo"');
  }, 120_000);
});
