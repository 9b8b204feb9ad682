import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../app/deps/work-queue.ts";
import { ALICE, appOnLocalGitHub, ROUTE } from "./app-scene.ts";

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

/**
 * GitHub waits 10 seconds for a webhook's answer, so the App answers before it does the work. Shown
 * on the local GitHub: the handler's first read (the config) is held there until the test has seen
 * the delivery answered, so the answer cannot have waited for GitHub.
 */
describe("acknowledgement", () => {
  const local = appOnLocalGitHub();

  it("answers the webhook before GitHub answers the handler", async () => {
    const scene = await local.scene({ config: "trigger:\n  label: robot\n" });
    const issue = scene.openIssue();
    const configRead = gate();
    const route = ROUTE.readFile;
    scene.github.faults.inject({ route, when: "before", meanwhile: () => configRead.opened });

    const delivery = await scene.github.labelIssue(issue, "agent", ALICE);

    expect(delivery.status).toBe(200);
    await until(() => scene.github.faults.fired.some((fault) => fault.route === route));
    // Acknowledged while GitHub still holds the handler's config read: nothing of it answered yet.
    expect(scene.appRequests()).not.toContain(route);
    expect(scene.app.metrics.render()).toMatch(/inhouse_webhook_work_in_flight 1/);
    configRead.open();
    await scene.settle();
    expect(scene.appRequests()).toContain(route);
    // The config asks for the label `robot`, so `agent` starts nothing.
    expect(scene.appWrites()).toEqual([]);
  });
});

/** Resolves once `done()` holds (the App's request reaching GitHub), polling every 10 ms. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}
