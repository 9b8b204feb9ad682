import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent } from "../../../action/agent/run-agent.ts";
import { openMcpServers } from "../../../action/mcp/open-mcp-servers.ts";
import type { Sandbox } from "../../../action/sandbox/types.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";
import { type McpHttpServer, PLANTED_SECRET, startMcpHttpServer } from "../../helpers/mcp-http-server.ts";
import { type ScriptedStep, startScriptedModelServer, step } from "../../helpers/scripted-model-server.ts";

/**
 * A remote MCP server (Streamable HTTP, written with the SDK) through the real agent loop: the
 * scripted model calls its tools, by native and by text tool calling.
 */
const MCP_AUTH = "Bearer mcp-header-secret-4f9a8b7c6d5e";
let mcp: McpHttpServer;
let sandbox: Sandbox & { root: string };

beforeAll(async () => {
  mcp = await startMcpHttpServer();
  sandbox = await createLocalSandbox();
});
afterAll(async () => {
  await mcp?.close();
  await sandbox?.destroy();
});

async function run(
  steps: ScriptedStep[],
  options: { toolCalling?: "native" | "text"; remote?: string } = {},
) {
  const model = await startScriptedModelServer(steps);
  const auditPath = join(sandbox.root, "..", `audit-mcp-${Date.now()}-${Math.random()}.jsonl`);
  try {
    const secrets = ["sk-model-key-123456"];
    const result = await runAgent({
      sandbox,
      model: {
        baseUrl: model.baseUrl,
        apiKey: secrets[0]!,
        model: model.model,
        toolCalling: options.toolCalling ?? "native",
      },
      task: { kind: "fix-issue", title: "Document the deploy", body: "Find where deploys are described." },
      commands: { setup: [], test: "true" },
      limits: { turns: 10, tokens: 1_000_000, minutes: 2 },
      secrets,
      auditPath,
      tuning: { retryBaseDelayMs: 1 },
      openMcp: (onEvent) =>
        openMcpServers({
          servers: { docs: { remote: options.remote ?? "docs" } },
          remote: { docs: { url: mcp.url, headers: { Authorization: MCP_AUTH } } },
          sandbox,
          secrets,
          onEvent,
        }),
    });
    const audit = await readFile(auditPath, "utf8");
    return { result, requests: model.requests, audit };
  } finally {
    await model.close();
  }
}

const toolMessages = (request: { body: { messages: { role: string; content?: string | null }[] } }) =>
  request.body.messages.filter((m) => m.role === "tool" || m.role === "user").map((m) => m.content ?? "");

describe("a remote MCP server, from the action process", () => {
  it("offers its tools as <server>__<tool> with their JSON schemas; a call's result reaches the model, redacted", async () => {
    const { result, requests, audit } = await run([
      step.tool("docs__search", { query: "deploy" }),
      step.tool("finish", { summary: "Found it." }),
    ]);
    expect(result.outcome).toBe("finished");
    const offered = requests[0]!.body.tools!.map((t: { function: { name: string } }) => t.function);
    const search = offered.find((f: { name: string }) => f.name === "docs__search");
    expect(search).toMatchObject({
      description: expect.stringContaining("Search the internal documentation"),
      parameters: { type: "object", properties: { query: { type: "string" } }, required: ["query"] },
    });
    expect(offered.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(["read_file", "run", "docs__fail"]),
    );
    // The server ran the call, with the runner's header.
    expect(mcp.calls.at(-1)).toEqual({ name: "search", args: { query: "deploy" } });
    expect(mcp.authorizations).toContain(MCP_AUTH);
    // Its output holds a planted secret: redacted before the model and the audit log see it.
    const seen = toolMessages(requests[1]!).join("\n");
    expect(seen).toContain("runbook.md");
    expect(seen).not.toContain(PLANTED_SECRET);
    expect(audit).toContain("runbook.md");
    expect(audit).not.toContain(PLANTED_SECRET);
    expect(audit).not.toContain(MCP_AUTH.slice(7));
    expect(audit).toMatch(/"type":"mcp_server","server":"docs","kind":"remote","tools":\["search","fail"\]/);
  });

  it("a failing MCP tool's error goes back to the model as a recoverable tool error, and the task goes on", async () => {
    const { result, requests, audit } = await run([
      step.tool("docs__fail", { why: "maintenance" }),
      step.tool("docs__search", { query: "after the failure" }),
      step.tool("finish", { summary: "Done." }),
    ]);
    expect(result.outcome).toBe("finished");
    expect(toolMessages(requests[1]!).at(-1)).toMatch(
      /fail reported an error: the index is rebuilding: maintenance/,
    );
    expect(toolMessages(requests[2]!).at(-1)).toContain("after the failure");
    const failed = audit
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((event) => event.type === "tool_call" && event.name === "docs__fail");
    expect(failed).toMatchObject({
      ok: false,
      kind: "recoverable",
      result: expect.stringContaining("index is rebuilding"),
    });
  });

  it("bad arguments come back as the server's validation error, recoverable", async () => {
    const { result, requests } = await run([
      step.tool("docs__search", { q: 1 }),
      step.tool("finish", { summary: "ok" }),
    ]);
    expect(result.outcome).toBe("finished");
    expect(toolMessages(requests[1]!).at(-1)).toMatch(/docs__search failed: .*(query|Invalid)/s);
  });

  it("text tool calling covers MCP tools too", async () => {
    const { result, requests } = await run(
      [step.textTool("docs__search", { query: "by text" }), step.textTool("finish", { summary: "ok" })],
      { toolCalling: "text" },
    );
    expect(result.outcome).toBe("finished");
    expect(requests[0]!.body.tools).toBeUndefined();
    expect(requests[0]!.body.messages[0]!.content).toContain("docs__search");
    expect(toolMessages(requests[1]!).join("\n")).toContain('"by text" is covered in runbook.md');
  });

  it("a server the runner does not allow is refused, and the model is told instead of offered its tools", async () => {
    const before = mcp.authorizations.length;
    const { result, requests, audit } = await run([step.tool("finish", { summary: "ok" })], {
      remote: "elsewhere",
    });
    expect(result.outcome).toBe("finished");
    expect(
      requests[0]!.body.tools!.map((t: { function: { name: string } }) => t.function.name),
    ).not.toContain("docs__search");
    expect(requests[0]!.body.messages[1]!.content).toMatch(
      /MCP server docs could not start: remote server "elsewhere" is not one the runner allows \(docs\)/,
    );
    expect(audit).toContain('"type":"mcp_server_failed"');
    expect(mcp.authorizations.length).toBe(before);
  });
});
