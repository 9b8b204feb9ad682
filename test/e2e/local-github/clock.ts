/**
 * The local GitHub's own time. Installation tokens expire and rate-limit windows roll by it, so a
 * test moves it forward (`advance`) instead of waiting an hour. App JWTs are still checked against
 * the real clock: the client signs them with its own time, as it would against github.com.
 */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.source() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** GitHub's timestamp form: ISO 8601, second precision (`2026-01-01T00:00:00Z`). */
  iso(at: number = this.now()): string {
    return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
  }
}
