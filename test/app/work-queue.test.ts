import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../app/deps/work-queue.ts";
import { createApp, github, labeledPayload, mockConfig } from "./harness.ts";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe("WorkQueue", () => {
  it("runs at most `concurrency` jobs and reports idle once all are done", async () => {
    const queue = new WorkQueue(() => {}, 2, 10);
    const g = gate();
    const twoRunning = gate();
    let running = 0;
    let peak = 0;
    const job = async () => {
      running += 1;
      peak = Math.max(peak, running);
      if (running === 2) twoRunning.open();
      await g.opened;
      running -= 1;
    };
    for (let i = 0; i < 5; i++) await queue.submit(job);
    expect(queue.inFlight).toBe(5);
    await twoRunning.opened;
    g.open();
    await queue.idle();
    expect(peak).toBe(2);
    expect(queue.inFlight).toBe(0);
  });

  it("accepts new work only when there is room (backpressure instead of unbounded memory)", async () => {
    const queue = new WorkQueue(() => {}, 1, 1);
    const g = gate();
    await queue.submit(() => g.opened); // running
    await queue.submit(() => g.opened); // waiting: the queue is now full
    let accepted = false;
    const third = queue
      .submit(async () => {})
      .then(() => {
        accepted = true;
      });
    await Promise.resolve();
    expect(accepted).toBe(false);
    g.open();
    await third;
    expect(accepted).toBe(true);
    await queue.idle();
  });

  it("hands failures to onError and keeps going", async () => {
    const errors: unknown[] = [];
    const queue = new WorkQueue((error) => errors.push(error), 1);
    let ran = false;
    await queue.submit(async () => {
      throw new Error("boom");
    });
    await queue.submit(async () => {
      ran = true;
    });
    await queue.idle();
    expect(errors).toEqual([new Error("boom")]);
    expect(ran).toBe(true);
  });
});

describe("acknowledgement", () => {
  it("answers the webhook before GitHub answers the handler", async () => {
    const { probot, metrics } = await createApp();
    const scope = mockConfig(github(), "trigger:\n  label: robot\n");
    let handled = false;
    scope.on("replied", () => {
      handled = true;
    });
    await probot.receive({ id: "ack-1", name: "issues", payload: labeledPayload("agent") } as never);
    // Acknowledged: the config request has not even been answered yet.
    expect(handled).toBe(false);
    expect(metrics.render()).toMatch(/inhouse_webhook_work_in_flight 1/);
    await new Promise<void>((resolve) => scope.once("replied", () => resolve()));
    expect(handled).toBe(true);
  });
});
