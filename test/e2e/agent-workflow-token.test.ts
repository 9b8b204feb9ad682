import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { taskKinds } from "../../core/task.ts";
import { taskTokenPermissions } from "../../core/task-token-permissions.ts";
import { agentWorkflow } from "./helpers/whole-system.ts";
import { loadManifest } from "./local-github/app-manifest.ts";
import { grants } from "./local-github/route-permissions.ts";

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, string>;
}

interface Workflow {
  permissions: Record<string, string>;
  jobs: { agent: { steps: Step[] } };
}

describe("the runner token: least privilege per task kind", () => {
  it("the workflow template holds no App private key: the job trades its OIDC token with the App", async () => {
    const text = await agentWorkflow();
    expect(text).not.toMatch(/private[-_ ]?key/i);
    expect(text).not.toMatch(/create-github-app-token/);
    const workflow = yaml.load(text) as Workflow;
    expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
    const agent = workflow.jobs.agent.steps.find((s) => s.id === "agent");
    expect(agent?.with).toMatchObject({
      "app-url": "${{ vars.INHOUSE_APP_URL }}",
      "app-id": "${{ vars.INHOUSE_APP_ID }}",
    });
    expect(agent?.with?.["github-token"]).toBeUndefined();
  });

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
    // checks: read is the App's own: it subscribes to check_run for the failed-check follow-up.
    expect(Object.keys(permissions).sort()).toEqual([
      "actions",
      "checks",
      "contents",
      "issues",
      "metadata",
      "pull_requests",
    ]);
  });
});
