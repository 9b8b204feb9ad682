import { describe, expect, it } from "vitest";
import { parseSandboxOptions } from "../../../../action/sandbox/options.ts";
import { isPoolable, poolProfileKey } from "../../../../action/sandbox/pool/pool-key.ts";

const key = (options: Parameters<typeof parseSandboxOptions>[0]) =>
  poolProfileKey(parseSandboxOptions(options));

describe("warm pool profile key", () => {
  it("is the same for tasks that differ only in what is not fixed at creation", () => {
    expect(key({ taskId: "a", labels: { "inhouse.repo": "o/a" }, defaultTimeoutMs: 1000 })).toBe(
      key({ taskId: "b", labels: { "inhouse.repo": "o/b" }, killGraceMs: 5, maxOutputBytes: 4096 }),
    );
    expect(key({ env: { A: "1", B: "2" } })).toBe(key({ env: { B: "2", A: "1" } }));
  });

  it("differs for anything the container was created with", () => {
    const base = key({});
    for (const other of [
      { image: "my-toolchain:latest" },
      { network: "open" as const },
      { memoryMb: 1024 },
      { cpus: 1 },
      { pids: 256 },
      { env: { NODE_ENV: "test" } },
      { caBundlePath: "/etc/company-ca.pem" },
      { workspaceMb: 1024 },
      { tmpMb: 256 },
    ]) {
      expect(key(other), JSON.stringify(other)).not.toBe(base);
    }
  });

  it("pools none and open, not allowlist (its proxy is the task's own)", () => {
    expect(isPoolable(parseSandboxOptions({ network: "none" }))).toBe(true);
    expect(isPoolable(parseSandboxOptions({ network: "open" }))).toBe(true);
    expect(isPoolable(parseSandboxOptions({ network: "allowlist", allowlist: ["registry.npmjs.org"] }))).toBe(
      false,
    );
  });
});
