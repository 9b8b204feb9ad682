import { describe, expect, it } from "vitest";
import { parseSettings } from "../../../action/job/settings.ts";
import { allowedRuntime } from "../../../action/sandbox/runtime-allowlist.ts";
import { loadConfig } from "../../../core/config.ts";

const read = (inputs: Record<string, string>) =>
  parseSettings(
    (name) => ({ task: "{}", "github-token": "ghs_x", "app-id": "4242", ...inputs })[name] ?? "",
    () => {},
  ).caps.runtimes;

describe("sandbox runtime allowlist", () => {
  it("reads sandbox-runtime and allowed-runtimes; unset is the daemon's default", () => {
    expect(read({})).toEqual({ allowed: [] });
    expect(read({ "sandbox-runtime": "runsc", "allowed-runtimes": "runc, kata" })).toEqual({
      default: "runsc",
      allowed: ["runc", "kata"],
    });
  });

  it("refuses a runtime name dockerd could not register, naming the input", () => {
    expect(() => read({ "sandbox-runtime": "runsc --debug" })).toThrow(/sandbox-runtime/);
    expect(() => read({ "allowed-runtimes": "runc, ../x" })).toThrow(/allowed-runtimes/);
  });

  it("runs the runner's default when the repository names none or names it", () => {
    expect(allowedRuntime(undefined, { allowed: [] })).toBeUndefined();
    expect(allowedRuntime(undefined, { default: "runsc", allowed: [] })).toBe("runsc");
    expect(allowedRuntime("runsc", { default: "runsc", allowed: [] })).toBe("runsc");
    expect(allowedRuntime("kata", { default: "runsc", allowed: ["kata"] })).toBe("kata");
  });

  it("refuses a repository leaving the runner's stronger runtime, or picking one nobody listed", () => {
    expect(() => allowedRuntime("runc", { default: "runsc", allowed: [] })).toThrow(
      "sandbox runtime 'runc', which this runner does not allow (allowed: runsc)",
    );
    expect(() => allowedRuntime("sysbox-runc", { allowed: [] })).toThrow(
      /allowed: the Docker default \(runc\)\)\. Remove sandbox\.runtime .* allowed-runtimes/,
    );
  });

  it("accepts sandbox.runtime in .github/agent.yml only as a runtime name", () => {
    const ok = loadConfig("sandbox:\n  runtime: runsc\n");
    expect(ok.ok && ok.value.sandbox.runtime).toBe("runsc");
    const bad = loadConfig("sandbox:\n  runtime: 'runsc; rm -rf /'\n");
    expect(bad.ok).toBe(false);
  });
});
