import { afterEach, describe, expect, it } from "vitest";
import { testCommandFromRuleFiles } from "../../../action/agent/rule-files.ts";
import { resolveTestCommand } from "../../../action/agent/test-command.ts";
import { createLocalSandbox } from "../../helpers/local-sandbox.ts";

const sandboxes: Array<{ destroy(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.destroy()));
});

async function sandboxWith(files: Record<string, string>) {
  const sandbox = await createLocalSandbox();
  sandboxes.push(sandbox);
  for (const [path, content] of Object.entries(files)) await sandbox.writeFile(path, content);
  return sandbox;
}

describe("resolveTestCommand", () => {
  it("prefers the configured command, then the rule file, then the manifest", async () => {
    const sandbox = await sandboxWith({
      "package.json": JSON.stringify({ scripts: { test: "vitest run" } }),
    });
    const ruleFiles = [{ path: "AGENTS.md", content: "# Repo\n\n## Commands\n\n- test: `make check`\n" }];
    expect(await resolveTestCommand(sandbox, { configured: "npm run test:unit", ruleFiles })).toBe(
      "npm run test:unit",
    );
    expect(await resolveTestCommand(sandbox, { ruleFiles })).toBe("make check");
    expect(await resolveTestCommand(sandbox)).toBe("npm test");
  });

  it("skips npm's placeholder test script", async () => {
    const sandbox = await sandboxWith({
      "package.json": JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
    });
    expect(await resolveTestCommand(sandbox)).toBeUndefined();
  });

  it.each([
    [{ "go.mod": "module x\n" }, "go test ./..."],
    [{ "Cargo.toml": "[package]\n" }, "cargo test"],
    [{ Makefile: "build:\n\ttrue\ntest:\n\ttrue\n" }, "make test"],
  ])("reads the manifest %o as %s", async (files, expected) => {
    expect(await resolveTestCommand(await sandboxWith(files))).toBe(expected);
  });

  it("runs Python projects with pytest when it is installed, else unittest", async () => {
    const command = await resolveTestCommand(
      await sandboxWith({ "pyproject.toml": "[project]\nname='x'\n" }),
    );
    expect(["pytest", "python3 -m unittest discover"]).toContain(command);
  });

  it("finds the test command only inside a commands section", () => {
    expect(
      testCommandFromRuleFiles([
        { path: "AGENTS.md", content: "- test: `nope`\n## Commands\n* **test**: `pnpm t`\n" },
      ]),
    ).toBe("pnpm t");
    expect(
      testCommandFromRuleFiles([
        { path: "AGENTS.md", content: "## Commands\n- lint: `x`\n## Other\n- test: `y`\n" },
      ]),
    ).toBeUndefined();
  });
});
