import { spawn } from "node:child_process";
import { once } from "node:events";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { currentOwner, ownerIsGone, ownerOf } from "../../../action/sandbox/owner-process.ts";

async function ownerOfExitedProcess(): Promise<string> {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  const owner = ownerOf(child.pid!);
  child.kill("SIGKILL");
  await once(child, "exit");
  return owner;
}

describe("sandbox owner process", () => {
  it("names this host, this pid and its start time", () => {
    expect(currentOwner()).toMatch(new RegExp(`^${hostname()}/${process.pid}/\\d+$`));
  });

  it("keeps the sandboxes of a live process", () => {
    expect(ownerIsGone(currentOwner())).toBe(false);
  });

  it("knows a killed process is gone", async () => {
    expect(ownerIsGone(await ownerOfExitedProcess())).toBe(true);
  });

  it("treats a reused pid with another start time as gone", () => {
    const [host, pid] = currentOwner().split("/");
    expect(ownerIsGone(`${host}/${pid}/1`)).toBe(true);
  });

  it("never judges another host's process, a missing label or an owner without a start time", () => {
    const [, pid, ticks] = currentOwner().split("/");
    expect(ownerIsGone(`another-host/${pid}/${ticks}`)).toBe(false);
    expect(ownerIsGone(undefined)).toBe(false);
    expect(ownerIsGone(`${hostname()}/${pid}/unknown`)).toBe(false);
    expect(ownerIsGone(`${hostname()}/not-a-pid/5`)).toBe(false);
  });
});
