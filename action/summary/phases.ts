/** Wall time of each phase of the task, for the job summary and the audit log. */
export class PhaseClock {
  private readonly done: { name: string; ms: number }[] = [];
  private current: { name: string; start: number } | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(name: string): void {
    this.stop();
    this.current = { name, start: this.now() };
  }

  stop(): void {
    if (this.current) this.done.push({ name: this.current.name, ms: this.now() - this.current.start });
    this.current = undefined;
  }

  get currentPhase(): string | undefined {
    return this.current?.name;
  }

  list(): { name: string; ms: number }[] {
    return [
      ...this.done,
      ...(this.current ? [{ name: this.current.name, ms: this.now() - this.current.start }] : []),
    ];
  }
}
