import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { taskKinds } from "../../core/task.ts";
import { taskTokenPermissions } from "../../core/task-token-permissions.ts";
import { agentWorkflow } from "./helpers/whole-system.ts";
import { loadManifest } from "./local-github/app-manifest.ts";
import { renderTemplate } from "./local-github/expressions.ts";
import { grants } from "./local-github/route-permissions.ts";

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, string>;
}

/** The `permission-*` inputs of the template's create-github-app-token step, rendered for one task. */
async function templateTokenPermissions(kind: string): Promise<Record<string, string>> {
  const workflow = yaml.load(await agentWorkflow()) as { jobs: { agent: { steps: Step[] } } };
  const step = workflow.jobs.agent.steps.find((s) => s.uses?.startsWith("actions/create-github-app-token@"));
  if (!step?.with) throw new Error("the agent workflow has no create-github-app-token step");
  const task = JSON.stringify({ kind, repo: { owner: "acme", name: "widget" }, number: 1 });
  return Object.fromEntries(
    Object.entries(step.with)
      .filter(([name]) => name.startsWith("permission-"))
      .map(([name, value]) => [
        name.slice("permission-".length).replaceAll("-", "_"),
        renderTemplate(value, { inputs: { task } }),
      ]),
  );
}

describe("the runner token: least privilege per task kind", () => {
  it.each(taskKinds)(
    "the workflow template mints a %s token with exactly what the kind needs",
    async (kind) => {
      expect(await templateTokenPermissions(kind)).toEqual(taskTokenPermissions(kind));
    },
  );

  it("a review token cannot push; every other kind can", () => {
    expect(taskTokenPermissions("review").contents).toBe("read");
    for (const kind of taskKinds.filter((k) => k !== "review")) {
      expect(taskTokenPermissions(kind).contents).toBe("write");
    }
    expect(taskTokenPermissions("fix-issue", { workflowEdits: true }).workflows).toBe("write");
    expect(taskTokenPermissions("review", { workflowEdits: true }).workflows).toBeUndefined();
  });

  it("app.yml grants every permission a task token is minted with (a token cannot exceed its installation)", async () => {
    const { permissions } = await loadManifest();
    for (const kind of taskKinds) expect(grants(permissions, taskTokenPermissions(kind))).toBe(true);
    // Least privilege: nothing the App and its tasks do not use.
    expect(Object.keys(permissions).sort()).toEqual([
      "actions",
      "contents",
      "issues",
      "metadata",
      "pull_requests",
    ]);
  });
});
