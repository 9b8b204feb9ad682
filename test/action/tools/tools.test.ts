import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeToolCall, toolSpecs, toolsForTask } from "../../../action/tools/registry.ts";
import type { ReviewComment, ToolContext } from "../../../action/tools/types.ts";
import { createJsFixtureRepo } from "../../helpers/fixture-repo.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";

let context: ToolContext & { sandbox: Awaited<ReturnType<typeof createLocalSandbox>> };
const tools = toolsForTask({ kind: "fix-issue" });
const call = (name: string, args: unknown) =>
  executeToolCall(
    { id: "c1", name, arguments: typeof args === "string" ? args : JSON.stringify(args) },
    tools,
    context,
  );

beforeAll(async () => {
  const repo = await createJsFixtureRepo({
    "src/dup.js": "const a = 1;\nconst b = 2;\nconst a = 1;\n",
    "src/big.txt": `${Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join("\n")}\n`,
  });
  const sandbox = await createLocalSandbox();
  await sandbox.seed(repo.dir);
  context = { sandbox, reviewComments: [], maxCommandMs: 10_000 };
});
afterAll(async () => {
  await context.sandbox.destroy();
});

describe("tools", () => {
  it("offers JSON Schemas the model can follow, and no write tools for a review", () => {
    const specs = toolSpecs(tools);
    expect(specs.map((s) => s.name)).toEqual([
      "list_files",
      "read_file",
      "search",
      "edit_file",
      "write_file",
      "run",
      "finish",
    ]);
    expect(specs[1]!.parameters).toMatchObject({ type: "object", required: ["path"] });
    const review = toolsForTask({ kind: "review" }).map((t) => t.name);
    expect(review).toContain("review_comment");
    expect(review).not.toContain("edit_file");
    expect(review).not.toContain("write_file");
    // An automation whose output is an issue reports findings and changes nothing.
    const findings = toolsForTask({ kind: "automation", reportsFindings: true }).map((t) => t.name);
    expect(findings).toContain("report_finding");
    expect(findings).toContain("run");
    expect(findings).not.toContain("edit_file");
    expect(findings).not.toContain("write_file");
    expect(toolsForTask({ kind: "automation" }).map((t) => t.name)).not.toContain("report_finding");
  });

  it("report_finding records a finding with a workspace-relative path and refuses a path outside", async () => {
    const findings = toolsForTask({ kind: "automation", reportsFindings: true });
    const comments: { path: string; line: number; body: string }[] = [];
    const ok = await executeToolCall(
      {
        id: "1",
        name: "report_finding",
        arguments: JSON.stringify({ path: "./src/a.js", line: 3, body: "eval" }),
      },
      findings,
      { ...context, reviewComments: comments },
    );
    expect(ok.ok).toBe(true);
    expect(comments).toEqual([{ path: "src/a.js", line: 3, body: "eval" }]);
    const outside = await executeToolCall(
      {
        id: "2",
        name: "report_finding",
        arguments: JSON.stringify({ path: "../etc/passwd", line: 1, body: "x" }),
      },
      findings,
      { ...context, reviewComments: comments },
    );
    expect(outside.ok).toBe(false);
    expect(comments).toHaveLength(1);
  });

  it("list_files lists tracked files relative to the root", async () => {
    const result = await call("list_files", {});
    expect(result.ok).toBe(true);
    expect(result.output).toContain("src/sum.js");
    expect(result.output).not.toContain(".git/");
  });

  it("read_file numbers lines and cuts large files with a note saying how to read on", async () => {
    const small = await call("read_file", { path: "src/sum.js" });
    expect(small.output).toContain("2|   return a - b;");
    const big = await call("read_file", { path: "src/big.txt" });
    expect(big.output).toMatch(
      /\[cut: lines 401-1000 of 1000 not shown; call read_file with startLine=401\]/,
    );
    const range = await call("read_file", { path: "src/big.txt", startLine: 998, endLine: 1000 });
    expect(range.output).toContain("1000| line 1000");
    expect(range.output).not.toContain("cut");
  });

  it("read_file refuses a path outside the workspace as a recoverable error", async () => {
    const result = await call("read_file", { path: "../../etc/passwd" });
    expect(result).toMatchObject({ ok: false, kind: "recoverable" });
    expect(result.output).toMatch(/leaves the workspace/);
    const missing = await call("read_file", { path: "src/nope.js" });
    expect(missing).toMatchObject({ ok: false, kind: "recoverable" });
  });

  it("search finds matches with path and line, and says when there are none", async () => {
    const found = await call("search", { pattern: "return a", glob: "*.js" });
    expect(found.output).toContain("src/sum.js:2:");
    const none = await call("search", { pattern: "no_such_identifier_xyz" });
    expect(none.output).toMatch(/No matches/);
  });

  it("edit_file replaces a unique snippet and shows the result", async () => {
    const result = await call("edit_file", {
      path: "src/sum.js",
      oldText: "return a - b;",
      newText: "return a + b;",
    });
    expect(result.ok).toBe(true);
    expect((await context.sandbox.readFile("src/sum.js")).toString()).toContain("return a + b;");
  });

  it("edit_file with a snippet that occurs twice lists both places", async () => {
    const result = await call("edit_file", {
      path: "src/dup.js",
      oldText: "const a = 1;",
      newText: "const a = 3;",
    });
    expect(result).toMatchObject({ ok: false, kind: "recoverable" });
    expect(result.output).toMatch(/occurs 2 times in src\/dup\.js \(lines 1, 3\)/);
  });

  it("edit_file with a snippet that is not there shows the closest lines", async () => {
    const result = await call("edit_file", { path: "src/dup.js", oldText: "const  b = 2 ;", newText: "x" });
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/does not occur.*closest lines/s);
    expect(result.output).toContain("2| const b = 2;");
  });

  it("write_file creates files in new directories", async () => {
    const result = await call("write_file", { path: "docs/new/notes.md", content: "# Notes\n" });
    expect(result.output).toBe("Wrote 1 lines to docs/new/notes.md.");
    expect((await context.sandbox.readFile("docs/new/notes.md")).toString()).toBe("# Notes\n");
  });

  it("run reports the exit code and output, and kills a command past its timeout", async () => {
    const ok = await call("run", { command: "echo hello; echo oops >&2; exit 3" });
    expect(ok.output).toMatch(/^exit code 3/);
    expect(ok.output).toContain("hello");
    expect(ok.output).toContain("oops");
    const slow = await call("run", { command: "sleep 30", timeoutSeconds: 1 });
    expect(slow.output).toMatch(/timed out after 1 s/);
  });

  it("turns an unknown tool, malformed JSON and a bad argument into recoverable errors", async () => {
    const unknown = await call("read_fil", { path: "x" });
    expect(unknown).toMatchObject({ ok: false, kind: "recoverable" });
    expect(unknown.output).toMatch(/Unknown tool 'read_fil'\. Did you mean 'read_file'\?/);
    const malformed = await call("read_file", '{"path": "src/');
    expect(malformed.output).toMatch(/not valid JSON/);
    const bad = await call("read_file", { path: 7 });
    expect(bad.output).toMatch(/Invalid arguments for read_file: path: /);
    const extra = await call("read_file", { path: "a", mode: "x" });
    expect(extra.output).toMatch(/Invalid arguments/);
  });

  it("finish carries the summary; review_comment collects comments", async () => {
    const finish = await call("finish", { summary: "Fixed." });
    expect(finish).toMatchObject({ ok: true, finish: { summary: "Fixed." } });
    const comments: ReviewComment[] = [];
    const review = await executeToolCall(
      {
        id: "r",
        name: "review_comment",
        arguments: JSON.stringify({
          path: "src/sum.js",
          line: 2,
          body: "Wrong operator",
          suggestion: "  return a + b;",
        }),
      },
      toolsForTask({ kind: "review" }),
      { ...context, reviewComments: comments },
    );
    expect(review.ok).toBe(true);
    expect(comments).toEqual([
      { path: "src/sum.js", line: 2, body: "Wrong operator", suggestion: "  return a + b;" },
    ]);
  });

  it("a sandbox that cannot run commands ends the task with a fatal error", async () => {
    const broken = {
      ...context,
      sandbox: { ...context.sandbox, exec: async () => Promise.reject(new Error("container is gone")) },
    };
    const result = await executeToolCall(
      { id: "x", name: "run", arguments: '{"command":"ls"}' },
      tools,
      broken,
    );
    expect(result).toMatchObject({ ok: false, kind: "fatal" });
  });
});
