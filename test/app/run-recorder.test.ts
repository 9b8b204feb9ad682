import { beforeAll, describe, expect, it } from "vitest";
import { Metrics } from "../../app/deps/metrics.ts";
import { RunRecorder } from "../../app/deps/run-recorder.ts";
import { openMemoryStore } from "../helpers/memory-store.ts";

const repo = { owner: "acme", name: "widget" };
const task = {
  repo,
  number: 4,
  kind: "fix-issue",
  actor: "alice",
  event: "issues",
  delivery: "d1",
  at: new Date(),
};

describe("run recorder", () => {
  // The first store of a process runs initdb (seconds under load): in a hook, not a test's time.
  beforeAll(async () => {
    await (await openMemoryStore()).close();
  });

  it("turns an ended task's usage into Prometheus series by repository and profile", async () => {
    const store = await openMemoryStore();
    const metrics = new Metrics();
    const recorder = new RunRecorder(store.db, metrics, { warn: () => {} });
    await recorder.dispatched({ ...task, statusCommentId: 77 });
    await recorder.ended(repo, 77, "succeeded", {
      usage: {
        outcome: "finished",
        turns: 3,
        tokens: { prompt: 1200, completion: 300 },
        phases: [
          { name: "working", seconds: 100 },
          { name: "publishing", seconds: 20 },
        ],
        verification: "passed",
        profile: "large",
        cost: 0.25,
      },
    });
    const text = metrics.render();
    expect(text).toContain(
      'inhouse_runs_total{profile="large",repository="acme/widget",state="succeeded"} 1',
    );
    expect(text).toContain(
      'inhouse_run_tokens_total{profile="large",repository="acme/widget",type="prompt"} 1200',
    );
    expect(text).toContain(
      'inhouse_run_tokens_total{profile="large",repository="acme/widget",type="completion"} 300',
    );
    expect(text).toContain('inhouse_run_cost_total{profile="large",repository="acme/widget"} 0.25');
    expect(text).toContain(
      'inhouse_run_duration_seconds_bucket{profile="large",repository="acme/widget",le="120"} 1',
    );
    expect(text).toContain(
      'inhouse_run_duration_seconds_bucket{profile="large",repository="acme/widget",le="60"} 0',
    );
    const row = await store.db.selectFrom("runs").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: "succeeded", prompt_tokens: 1200, cost: 0.25, duration_s: 120 });
    await store.close();
  });

  it("never fails a task because the database is down: it logs and goes on", async () => {
    const store = await openMemoryStore();
    await store.close();
    const warnings: string[] = [];
    const recorder = new RunRecorder(store.db, new Metrics(), {
      warn: (_details, message) => warnings.push(message),
    });
    await expect(recorder.dispatched({ ...task, statusCommentId: 1 })).resolves.toBeUndefined();
    await expect(recorder.refused(task, "no")).resolves.toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/could not record the dispatch/),
      expect.stringMatching(/could not record the refusal/),
    ]);
  });
});
