/**
 * The sandbox under gVisor (`runtime: runsc`): it really runs in gVisor's kernel, the hardening
 * holds there too, the resource attacks are contained, and what this host's registration cannot do
 * (a network, with --network=none) fails before anything starts. The exec, file and workspace suites
 * also run whole under runsc (scripts/test.sh, INHOUSE_SANDBOX_RUNTIME=runsc).
 */
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GVISOR_HOST_THREADS } from "../../../action/sandbox/container-spec.ts";
import { createSandbox, type DockerSandbox, isSandboxError } from "../../../action/sandbox/index.ts";
import { daemonRuntimes } from "../../../action/sandbox/runtimes.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { describeRunsc } from "../../helpers/runsc.ts";
import { expectResourceAttackContained } from "./resource-attack.ts";
import { allowDockerHijack, requireSandboxImage } from "./sandbox-helpers.ts";

const small = { memoryMb: 256, pids: 128, workspaceMb: 64, tmpMb: 64 };

async function containersOfTask(taskId: string): Promise<number> {
  const list = await new Docker().listContainers({
    all: true,
    filters: { label: [`inhouse.task=${taskId}`] },
  });
  return list.length;
}

describeDocker("sandbox runtime selection", () => {
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
  });
  afterAll(() => restoreNock());

  it("refuses a runtime the daemon does not offer before creating anything, with how to install it", async () => {
    const attempt = createSandbox({ ...small, runtime: "kata", taskId: "runtime-missing" });
    await expect(attempt).rejects.toSatisfy((e) => isSandboxError(e, "runtime-missing"));
    await expect(attempt).rejects.toThrow(/'kata' is not registered .*install Kata Containers/);
    expect(await containersOfTask("runtime-missing")).toBe(0);
  });
});

describeRunsc("sandbox under gVisor (runsc)", () => {
  let sandbox: DockerSandbox;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    sandbox = await createSandbox({ ...small, runtime: "runsc", taskId: "runsc-hardening" });
  }, 60_000);
  afterAll(async () => {
    await sandbox?.destroy();
    restoreNock();
  });

  it("runs in gVisor's kernel, not the host's", async () => {
    const info = await new Docker().getContainer(sandbox.containerId).inspect();
    expect(info.HostConfig.Runtime).toBe("runsc");
    const kernel = await sandbox.exec("dmesg 2>/dev/null | head -n 1; uname -r");
    expect(kernel.stdout).toMatch(/Starting gVisor/);
  });

  it("keeps the hardening: uid 1000, no capabilities, root filesystem not writable, no socket, no network", async () => {
    const result = await sandbox.exec(
      "id -u; grep '^CapEff:' /proc/self/status; touch /usr/evil 2>&1 || echo root-refused; " +
        "test -S /var/run/docker.sock && echo socket || echo no-socket; " +
        "curl -sS --max-time 5 http://1.1.1.1 >/dev/null 2>&1 || echo no-network",
      { timeoutMs: 30_000 },
    );
    expect(result.stdout).toMatch(/^1000\nCapEff:\s+0000000000000000\n/);
    // gVisor checks the directory's permissions before the mount's read-only flag: EACCES, not EROFS.
    expect(result.stdout).toMatch(/Permission denied\nroot-refused\n|Read-only file system\nroot-refused\n/);
    expect(result.stdout).toMatch(/no-socket\nno-network\n$/);
    const info = await new Docker().getContainer(sandbox.containerId).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(["ALL"]);
  });

  /**
   * A resource attack under gVisor, contained as resource-attack.ts says, and never a host process.
   * A fork bomb meets gVisor's RLIMIT_NPROC and the shell lives on; a memory hog may end the whole
   * sandbox (Debian's runsc 2022-12 is killed by the host's memory cgroup), with a clear error.
   */
  async function attackContained(
    taskId: string,
    command: string,
    timeoutMs: number,
    sandboxMayEnd: boolean,
  ): Promise<void> {
    const target = await createSandbox({ ...small, runtime: "runsc", taskId });
    try {
      await expectResourceAttackContained(target, command, timeoutMs, { sandboxMayEnd });
      // gVisor runs the sandbox's processes inside its sentry: the host sees a handful, never the attack's.
      const top = await new Docker()
        .getContainer(target.containerId)
        .top()
        .catch(() => ({ Processes: [] as string[][] }));
      expect(top.Processes?.length ?? 0).toBeLessThan(10);
    } finally {
      await target.destroy();
    }
    expect(await containersOfTask(taskId)).toBe(0);
  }

  it("contains a memory hog (the hog dies, or the whole sandbox ends with a clear error)", async () => {
    await attackContained("runsc-hog", `python3 -c "x = b'a' * (1024 ** 3)"`, 60_000, true);
  }, 90_000);

  // Removing a sandbox after the bomb can take gVisor ~100 s (measured on a 2-core VM whose
  // dockerd had been up for hours; 19 s in a fresh CI run): the limit leaves room for that teardown.
  it("contains a fork bomb with gVisor's own process cap, and the shell lives on", async () => {
    await attackContained("runsc-bomb", "bomb() { bomb | bomb; }; bomb", 3000, false);
  }, 180_000);

  it("caps processes inside gVisor (RLIMIT_NPROC) and leaves the host cgroup room for gVisor's own threads", async () => {
    const info = await new Docker().getContainer(sandbox.containerId).inspect();
    expect(info.HostConfig.Ulimits).toEqual([{ Name: "nproc", Soft: small.pids, Hard: small.pids }]);
    expect(info.HostConfig.PidsLimit).toBe(small.pids + GVISOR_HOST_THREADS);
    // The limit as the sandbox's processes see it; the fork bomb above is what it stops.
    expect((await sandbox.exec("ulimit -u")).stdout).toBe(`${small.pids}\n`);
  }, 90_000);

  it("a small sandbox outlives many commands, and filling its workspace stops at the cap (ENOSPC), not the sandbox", async () => {
    // With the host cgroup capped at the bare 128, gVisor's sentry ran out of threads after a few
    // commands and this fill ended the whole sandbox (exit 2) instead of failing with ENOSPC.
    const target = await createSandbox({ ...small, runtime: "runsc", taskId: "runsc-fill" });
    try {
      for (let i = 0; i < 15; i++)
        await target.exec(i % 2 ? "ls /usr/bin | wc -l" : "git --version; python3 -c 1");
      const fill = await target.exec("dd if=/dev/zero of=fill bs=1M count=200 2>&1; echo exit=$?", {
        timeoutMs: 60_000,
      });
      expect(fill.stdout).toMatch(/No space left on device[\s\S]*exit=1\n$/);
      expect(Number((await target.exec("stat -c %s fill")).stdout)).toBeLessThanOrEqual(64 * 1024 * 1024);
      expect((await target.exec("echo alive")).stdout).toBe("alive\n");
    } finally {
      await target.destroy();
    }
  }, 180_000);

  it("refuses a network profile that a --network=none registration cannot give, before creating anything", async () => {
    const { networkless } = await daemonRuntimes(new Docker());
    if (!networkless.includes("runsc")) return; // gVisor's network works on this host: nothing to refuse.
    const attempt = createSandbox({ ...small, runtime: "runsc", network: "open", taskId: "runsc-open" });
    await expect(attempt).rejects.toThrow(
      /registered with --network=none, so the 'open' network profile cannot work/,
    );
    expect(await containersOfTask("runsc-open")).toBe(0);
  });
});
