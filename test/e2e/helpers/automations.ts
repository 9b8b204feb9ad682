import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type ScriptedReply, step } from "../../helpers/scripted-model-server.ts";
import type { RepoRecord } from "../local-github/state.ts";
import type { RunResult } from "../test-runner.ts";
import { AUTOMATIONS_WORKFLOW_PATH, type WholeSystem } from "./whole-system.ts";

/** The repository the two example automations of docs/automations.md run on (its README says how). */
export const GREETER_DIR = join(import.meta.dirname, "../../fixtures/automations");
export const AUTOMATIONS_WORKFLOW = "agent-automations.yml";

/** The greeter fixture with the shipped automations workflow committed beside it, as a user installs it. */
export async function createGreeter(system: WholeSystem, name = "greeter"): Promise<RepoRecord> {
  const repo = await system.github.createRepo(name, GREETER_DIR);
  await system.github.commit(
    repo,
    repo.defaultBranch,
    { [`.github/workflows/${AUTOMATIONS_WORKFLOW}`]: await readFile(AUTOMATIONS_WORKFLOW_PATH, "utf8") },
    "Add the automations workflow",
  );
  return repo;
}

/** Points one vendored dependency of the greeter at another version (both places in package.json). */
export function updateDependency(name: string, from: string, to: string): ScriptedReply[] {
  return [
    step.tool("edit_file", {
      path: "package.json",
      oldText: `"${name}": "${from}"`,
      newText: `"${name}": "${to}"`,
    }),
    step.tool("edit_file", {
      path: "package.json",
      oldText: `./vendor/${name}-${from}/index.js`,
      newText: `./vendor/${name}-${to}/index.js`,
    }),
  ];
}

/** The job results of the runs that started after `before` results existed. */
export function resultsSince(system: WholeSystem, before: number): RunResult[] {
  return system.runner.results.slice(before);
}
