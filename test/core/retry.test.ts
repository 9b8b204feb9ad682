import { describe, expect, it } from "vitest";
import { parseRetryAfter, withRetry } from "../../core/retry.ts";

class Transient extends Error {}

describe("withRetry", () => {
  it("retries retryable errors up to the attempt limit and then rethrows the last one", async () => {
    const delays: number[] = [];
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new Transient(`try ${calls}`);
      },
      {
        attempts: 3,
        baseDelayMs: 100,
        isRetryable: (e) => e instanceof Transient,
        sleep: async (ms) => void delays.push(ms),
      },
    );
    await expect(run).rejects.toThrow("try 3");
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it("does not retry an error the caller calls permanent", async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new Error("bad request");
      },
      { attempts: 3, baseDelayMs: 1, isRetryable: () => false },
    );
    await expect(run).rejects.toThrow("bad request");
    expect(calls).toBe(1);
  });

  it("waits what the server asks for instead of its own backoff", async () => {
    const delays: number[] = [];
    const retries: number[] = [];
    const value = await withRetry(async (attempt) => (attempt < 2 ? Promise.reject(new Transient()) : "ok"), {
      attempts: 3,
      baseDelayMs: 10,
      isRetryable: () => true,
      retryAfterMs: () => 2_000,
      onRetry: ({ attempt }) => retries.push(attempt),
      sleep: async (ms) => void delays.push(ms),
    });
    expect(value).toBe("ok");
    expect(delays).toEqual([2_000]);
    expect(retries).toEqual([1]);
  });
});

describe("parseRetryAfter", () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter(headers({ "retry-after": "3" }))).toBe(3_000);
    expect(parseRetryAfter(headers({ "retry-after-ms": "250" }))).toBe(250);
    const later = new Date(Date.now() + 5_000).toUTCString();
    expect(parseRetryAfter(headers({ "retry-after": later }))).toBeGreaterThan(3_000);
    expect(parseRetryAfter(headers({}))).toBeUndefined();
    expect(parseRetryAfter(headers({ "retry-after": "soon" }))).toBeUndefined();
  });
});
