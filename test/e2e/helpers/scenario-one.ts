import { type ScriptedReply, step } from "../../helpers/scripted-model-server.ts";
import type { RepoRecord } from "../local-github/state.ts";
import {
  agentWorkflow,
  startWholeSystem,
  type WholeSystem,
  type WholeSystemOptions,
} from "./whole-system.ts";

/**
 * Scenario 1 of issue 7, shared by the whole-system test, `npm run demo` and the e2e benchmark: a
 * repository whose test fails, and the trajectory a model would take to fix it.
 */
export const BUG = { path: "src/sum.js", broken: "return a - b;", fixed: "return a + b;" };
export const TEST_COMMAND = "node --test test/";

export async function widgetFiles(): Promise<Record<string, string>> {
  return {
    "package.json": `${JSON.stringify({ name: "widget", type: "module", scripts: { test: TEST_COMMAND } }, null, 2)}\n`,
    "src/sum.js": `export function sum(a, b) {\n  ${BUG.broken}\n}\n`,
    "test/sum.test.js":
      'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { sum } from "../src/sum.js";\n\ntest("adds two numbers", () => {\n  assert.equal(sum(2, 3), 5);\n});\n',
    "README.md": "# widget\n",
    ".github/agent.yml": `commands:\n  test: ${TEST_COMMAND}\n`,
    ".github/workflows/agent.yml": await agentWorkflow(),
  };
}

/** A whole system with the widget repository; alice may write, rita may only read. */
export async function systemWithWidget(
  options: WholeSystemOptions = {},
): Promise<{ system: WholeSystem; repo: RepoRecord }> {
  const system = await startWholeSystem([], options);
  const repo = await system.github.createRepo("widget", await widgetFiles());
  system.github.addCollaborator(repo, "alice", "write");
  system.github.addCollaborator(repo, "rita", "read");
  return { system, repo };
}

/** The issue scenario 1 opens, by alice. */
export const SCENARIO_ONE_ISSUE = { title: "sum subtracts", body: "sum(2, 3) is -1", user: "alice" };

/** What the model answers in scenario 1: read the file, fix the operator, run the tests, finish. */
export function scenarioOneScript(): ScriptedReply[] {
  return [
    step.tool("read_file", { path: BUG.path }),
    step.tool("edit_file", { path: BUG.path, oldText: BUG.broken, newText: BUG.fixed }),
    step.tool("run", { command: TEST_COMMAND }),
    step.tool("finish", { summary: `Fixed the operator in ${BUG.path}.` }),
  ];
}
