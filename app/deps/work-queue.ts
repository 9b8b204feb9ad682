/**
 * Webhooks are acknowledged as soon as they are verified and the work is queued here: GitHub wants
 * an answer within 10 seconds, and a task start is several API round trips (more under rate
 * limiting). At most `concurrency` deliveries are handled at once; when `maxQueued` wait, a new
 * delivery is acknowledged only once there is room, which slows GitHub down instead of growing
 * memory without bound.
 */
export class WorkQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private active = 0;
  private readonly roomWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly onError: (error: unknown) => void,
    private readonly concurrency = 8,
    private readonly maxQueued = 1_000,
  ) {}

  get inFlight(): number {
    return this.active + this.waiting.length;
  }

  /** Resolves once the work is accepted (not done). Never rejects: failures go to `onError`. */
  async submit(work: () => Promise<void>): Promise<void> {
    while (this.waiting.length >= this.maxQueued) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
    this.waiting.push(work);
    this.pump();
  }

  /** Resolves when nothing is running or waiting: graceful shutdown and tests. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.active < this.concurrency && this.waiting.length > 0) {
      const work = this.waiting.shift()!;
      this.roomWaiters.shift()?.();
      this.active += 1;
      // Started in the check phase, after pending I/O: a burst's acknowledgements go first.
      new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch(this.onError)
        .finally(() => {
          this.active -= 1;
          this.pump();
          if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }
}
