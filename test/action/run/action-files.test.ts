import { readFile } from "node:fs/promises";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { INPUT_NAMES } from "../../../action/job/action-inputs.ts";

// biome-ignore lint/suspicious/noExplicitAny: YAML documents are walked by key in assertions.
type Yaml = Record<string, any>;
/** GitHub expressions as they appear in the workflow text. */
const expr = (inner: string) => `$${"{{"} ${inner} }}`;
const load = async (path: string) =>
  yaml.load(await readFile(new URL(`../../../${path}`, import.meta.url), "utf8")) as Yaml;

describe("action.yml", () => {
  it("declares exactly the inputs settings.ts parses, runs on node24 with a post step that always runs", async () => {
    const action = await load("action.yml");
    expect(Object.keys(action.inputs).sort()).toEqual([...INPUT_NAMES].sort());
    // One of the two names the work (settings.ts refuses neither and both); GitHub cannot say "one of".
    expect(action.inputs.task.required).toBe(false);
    expect(action.inputs.automation.required).toBe(false);
    expect(action.inputs["app-id"].required).toBe(true);
    // One of the two token sources; settings.ts refuses neither and both.
    expect(action.inputs["app-url"].required).toBe(false);
    expect(action.inputs["github-token"].required).toBe(false);
    expect(action.runs).toEqual({
      using: "node24",
      main: "action/dist/main.js",
      post: "action/dist/post.js",
      "post-if": "always()",
    });
    expect(Object.keys(action.outputs).sort()).toEqual([
      "pr-number",
      "pr-url",
      "state",
      "tokens",
      "verification",
    ]);
  });
});

describe("workflow template", () => {
  it("takes one task input, least permissions, a per-thread concurrency group, and never puts the task in run:", async () => {
    const text = await readFile(new URL("../../../.github/workflows/agent.yml", import.meta.url), "utf8");
    const workflow = yaml.load(text) as Yaml;
    expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch"]);
    expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toEqual(["task"]);
    expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(workflow.concurrency.group).toContain("fromJSON(inputs.task).number");
    const job = workflow.jobs.agent;
    expect(job["runs-on"]).toEqual(["self-hosted", "agent"]);
    expect(job["timeout-minutes"]).toBeGreaterThan(60);
    for (const step of job.steps as Yaml[]) expect(step.run ?? "").not.toContain("inputs.task");
    const agent = job.steps.find((s: Yaml) => s.id === "agent");
    expect(agent.with.task).toBe(expr("inputs.task"));
    expect(agent.with["app-url"]).toBe(expr("vars.INHOUSE_APP_URL"));
    const upload = job.steps.find((s: Yaml) => String(s.uses).startsWith("actions/upload-artifact"));
    expect(upload.if).toBe("always()");
    expect(upload.with.path).toBe(`${expr("runner.temp")}/inhouse-audit/`);
  });
});

describe("automations workflow template", () => {
  it("runs on a schedule and on a manual dispatch naming one automation, passes it as automation, and holds the least permissions", async () => {
    const text = await readFile(
      new URL("../../../.github/workflows/agent-automations.yml", import.meta.url),
      "utf8",
    );
    const workflow = yaml.load(text) as Yaml;
    expect(Object.keys(workflow.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(workflow.on.schedule[0].cron).toMatch(/^[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+$/);
    expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toEqual(["automation"]);
    expect(workflow.permissions).toEqual({ contents: "read", "id-token": "write" });
    // No App key in any repository (issue #12): the job trades its OIDC token with the App.
    expect(text).not.toMatch(/private[-_ ]?key|create-github-app-token|secrets\.INHOUSE_APP/i);
    const job = workflow.jobs.automation;
    expect(job["runs-on"]).toEqual(["self-hosted", "agent"]);
    expect(job.concurrency.group).toContain("matrix.automation");
    const agent = job.steps.find((s: Yaml) => s.id === "agent");
    expect(agent.with.automation).toBe(expr("matrix.automation"));
    expect(agent.with.task).toBeUndefined();
    expect(agent.with["app-url"]).toBe(expr("vars.INHOUSE_APP_URL"));
    expect(agent.with["github-token"]).toBeUndefined();
    for (const step of job.steps as Yaml[]) expect(step.run ?? "").not.toContain("inputs.");
  });
});
