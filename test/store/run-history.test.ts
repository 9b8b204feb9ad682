import { beforeAll, describe, expect, it } from "vitest";
import type { UsageRecord } from "../../core/usage-record.ts";
import { appTaskKey, type DispatchInput, RunHistory } from "../../store/run-history.ts";
import { storeBackends, storeForSuite } from "../helpers/store-backends.ts";

const usage: UsageRecord = {
  outcome: "finished",
  turns: 7,
  tokens: { prompt: 12_000, completion: 800 },
  phases: [
    { name: "provisioning", seconds: 4 },
    { name: "working", seconds: 50 },
    { name: "publishing", seconds: 2 },
  ],
  verification: "passed",
  link: "https://github.example/acme/widget/pull/9",
  pr: 9,
  blocked: ["evil.example"],
  profile: "large",
  cost: 0.048,
  runner: "runner-1",
};

function dispatch(repo: string, comment: number, at = new Date("2026-03-02T10:00:00Z")): DispatchInput {
  const [owner, name] = repo.split("/") as [string, string];
  return {
    key: appTaskKey({ owner, name }, comment),
    source: "app",
    repo: { owner, name },
    number: 3,
    kind: "fix-issue",
    actor: "alice",
    event: "issues.labeled",
    delivery: `d-${comment}`,
    statusCommentId: comment,
    at,
  };
}

describe.each(storeBackends)("run history on $name", (backend) => {
  const store = storeForSuite(backend);
  let history: RunHistory;
  beforeAll(() => {
    history = new RunHistory(store.db);
  });

  const row = (key: string) =>
    store.db.selectFrom("runs").selectAll().where("task_key", "=", key).executeTakeFirstOrThrow();

  it("follows a task from dispatch through its workflow run to the usage record", async () => {
    const input = dispatch("acme/widget", 101);
    await history.recordDispatch(input);
    expect((await row(input.key)).state).toBe("queued");
    await history.recordStarted(input.key, new Date("2026-03-02T10:00:20Z"));
    expect((await row(input.key)).state).toBe("running");
    await history.recordWorkflowRun(input.key, {
      id: 555,
      repo: "acme/widget",
      url: "https://github.example/acme/widget/actions/runs/555",
      conclusion: "success",
      queuedAt: "2026-03-02T10:00:01Z",
      startedAt: "2026-03-02T10:00:20Z",
      completedAt: "2026-03-02T10:01:30Z",
    });
    await history.recordOutcome(input.key, { state: "succeeded", reason: "done: opened …", usage });
    const recorded = await row(input.key);
    expect(recorded).toMatchObject({
      repository: "acme/widget",
      owner: "acme",
      state: "succeeded",
      workflow_run_id: 555,
      conclusion: "success",
      audit_url: "https://github.example/acme/widget/actions/runs/555#artifacts",
      outcome: "finished",
      turns: 7,
      prompt_tokens: 12_000,
      completion_tokens: 800,
      cost: 0.048,
      verification: "passed",
      pr_number: 9,
      pr_state: "open",
      profile: "large",
      runner: "runner-1",
      duration_s: 56,
      blocked_hosts: ["evil.example"],
      phases: usage.phases,
    });
    expect(recorded.run_queued_at?.toISOString()).toBe("2026-03-02T10:00:01.000Z");
  });

  it("records a redelivered dispatch once", async () => {
    const input = dispatch("acme/redelivered", 202);
    await history.recordDispatch(input);
    await history.recordDispatch({ ...input, actor: "mallory" });
    const rows = await store.db
      .selectFrom("runs")
      .selectAll()
      .where("repository", "=", "acme/redelivered")
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toBe("alice");
  });

  it("records a refusal with its reason, and never starts it", async () => {
    const input = { ...dispatch("acme/refused", 0), key: "delivery:r-1" };
    await history.recordDispatch(input, "refused", "bob has read permission; write is needed");
    expect(await row("delivery:r-1")).toMatchObject({
      state: "refused",
      reason: expect.stringMatching(/write/),
    });
  });

  it("marks the run whose PR was merged, and only that one", async () => {
    const merged = dispatch("acme/merging", 301);
    const other = dispatch("acme/merging", 302);
    await history.recordDispatch(merged);
    await history.recordDispatch(other);
    await history.recordOutcome(merged.key, { state: "succeeded", usage: { ...usage, pr: 41 } });
    await history.recordOutcome(other.key, { state: "succeeded", usage: { ...usage, pr: 42 } });
    const at = new Date("2026-03-03T09:00:00Z");
    expect(await history.recordPullClosed({ owner: "acme", name: "merging" }, 41, true, at)).toBe(1);
    expect(await history.recordPullClosed({ owner: "acme", name: "merging" }, 77, false, at)).toBe(0);
    expect((await row(merged.key)).pr_state).toBe("merged");
    expect((await row(other.key)).pr_state).toBe("open");
  });

  it("records a CLI run whole, with no GitHub ids", async () => {
    const input: DispatchInput = {
      key: "cli:5b4c",
      source: "cli",
      repo: { owner: "local", name: "widget" },
      kind: "fix-issue",
      actor: "dev",
      at: new Date(),
    };
    await history.recordFinishedRun(input, {
      state: "failed",
      reason: "budget",
      usage: { ...usage, pr: undefined, link: undefined },
    });
    expect(await row("cli:5b4c")).toMatchObject({
      source: "cli",
      state: "failed",
      workflow_run_id: null,
      pr_state: null,
    });
  });
});
