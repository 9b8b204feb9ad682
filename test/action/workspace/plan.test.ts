import { describe, expect, it } from "vitest";
import { planWorkspace } from "../../../action/workspace/plan.ts";
import { defaultConfig } from "../../../core/config.ts";
import type { Task } from "../../../core/task.ts";

const task = (extra: Partial<Task>): Task => ({
  v: 1,
  kind: "automation",
  repo: { owner: "acme", name: "widget" },
  automation: "docs-follow-up",
  trigger: { event: "pull_request", delivery: "d-1", actor: "alice", at: "2026-01-02T03:04:05Z" },
  ...extra,
});

describe("planWorkspace: automations", () => {
  it("a merge follow-up gets a new branch of its own per merged PR, with the merged PR's head fetched", () => {
    const plan = planWorkspace(task({ number: 7 }), defaultConfig(), "main", "Update the docs");
    expect(plan).toMatchObject({
      cloneBranch: "main",
      pushBranch: "agent/automation-docs-follow-up-7-update-the-docs",
      pushIsNew: true,
      prBase: "main",
      extraRefs: [{ remote: "refs/pull/7/head", local: "refs/remotes/origin/pull/7" }],
    });
  });

  it("a scheduled run without an open PR gets a dated branch and fetches nothing else", () => {
    const plan = planWorkspace(
      task({}),
      defaultConfig(),
      "main",
      "Docs",
      undefined,
      new Date("2026-03-04T00:00:00Z"),
    );
    expect(plan.pushBranch).toBe("agent/automation-docs-follow-up-20260304-docs");
    expect(plan.extraRefs).toEqual([]);
  });
});
