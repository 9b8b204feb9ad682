import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSandbox, type DockerSandbox, isSandboxError } from "../../../action/sandbox/index.ts";
import { currentOwner, ownerOf } from "../../../action/sandbox/owner-process.ts";
import { daemonRuntimes } from "../../../action/sandbox/runtimes.ts";
import { describeDocker } from "../../helpers/docker.ts";
import { sandboxRuntime, underGvisor } from "../../helpers/runsc.ts";
import { expectResourceAttackContained } from "./resource-attack.ts";
import { allowDockerHijack, requireSandboxImage } from "./sandbox-helpers.ts";

const HOST_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

async function firstCertificate(): Promise<string> {
  const bundle = await readFile(HOST_BUNDLE, "utf8");
  const end = "-----END CERTIFICATE-----";
  return bundle.slice(bundle.indexOf("-----BEGIN CERTIFICATE-----"), bundle.indexOf(end) + end.length);
}

describeDocker("sandbox hardening", () => {
  let sandbox: DockerSandbox;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    sandbox = await createSandbox({
      taskId: "test-hardening",
      memoryMb: 256,
      pids: 128,
      caBundlePath: HOST_BUNDLE,
    });
  });
  afterAll(async () => {
    await sandbox?.destroy();
    restoreNock();
  });

  it("runs as uid 1000 with no capabilities and a read-only root", async () => {
    const result = await sandbox.exec(
      "id -u; id -g; grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status; touch /usr/evil 2>&1; touch /workspace/ok && echo writable",
    );
    expect(result.stdout).toMatch(/^1000\n1000\n/);
    for (const name of ["CapEff", "CapPrm", "CapBnd"]) {
      expect(result.stdout).toMatch(new RegExp(`${name}:\\s+0000000000000000`));
    }
    // gVisor checks the directory's permissions before the mount's read-only flag: EACCES, not EROFS.
    expect(result.stdout).toMatch(
      underGvisor ? /Permission denied|Read-only file system/ : /Read-only file system/,
    );
    expect((await sandbox.exec("test -e /usr/evil && echo created || echo absent")).stdout).toBe("absent\n");
    expect(result.stdout).toContain("writable");
    const info = await new Docker().getContainer(sandbox.containerId).inspect();
    expect(info.HostConfig.SecurityOpt).toContain("no-new-privileges");
    // The runsc pass (scripts/test.sh) really runs under gVisor; the main pass under the daemon's default.
    expect(info.HostConfig.Runtime).toBe(sandboxRuntime ?? (await daemonRuntimes(new Docker())).default);
    expect(info.HostConfig.Memory).toBe(info.HostConfig.MemorySwap);
    expect(info.Config.Labels).toMatchObject({ "inhouse.sandbox": "1", "inhouse.task": "test-hardening" });
    expect(JSON.stringify(info.Mounts)).not.toContain("docker.sock");
  });

  it("has no network under the none profile", async () => {
    const result = await sandbox.exec(
      "getent hosts deb.debian.org || echo dns-failed; curl -sS --max-time 5 https://1.1.1.1 >/dev/null 2>&1 || echo curl-failed",
      { timeoutMs: 20_000 },
    );
    expect(result.stdout).toContain("dns-failed");
    expect(result.stdout).toContain("curl-failed");
  });

  /** Each resource attack gets a sandbox of its own: under gVisor a memory hog ends the whole sandbox. */
  async function attackInOwnSandbox(
    taskId: string,
    command: string,
    timeoutMs: number,
    sandboxMayEnd: boolean,
  ) {
    const target = await createSandbox({ taskId, memoryMb: 256, pids: 128 });
    try {
      const outcome = await expectResourceAttackContained(target, command, timeoutMs, {
        sandboxMayEnd,
      });
      const processes =
        outcome.end === "shell-lives" ? (await target.exec("pgrep -c bash")).stdout : undefined;
      return { ...outcome, processes };
    } finally {
      await target.destroy();
    }
  }

  it("contains a fork bomb: it runs into the deadline and the shell stays usable (gVisor too: its own RLIMIT_NPROC)", async () => {
    const { end, result, processes } = await attackInOwnSandbox(
      "test-hardening-bomb",
      "bomb() { bomb | bomb; }; bomb",
      3000,
      false,
    );
    expect(end).toBe("shell-lives");
    expect(result?.timedOut).toBe(true);
    expect(processes).toMatch(/^[1-9]\d?\n$/); // the bomb's processes are gone
  }, 180_000);

  it("contains a memory hog: the hog dies, the shell does not (gVisor: or the whole sandbox ends with a clear error)", async () => {
    const { end, result } = await attackInOwnSandbox(
      "test-hardening-hog",
      `python3 -c "x = b'a' * (1024 ** 3)"`,
      60_000,
      underGvisor,
    );
    if (end === "shell-lives") expect(result?.exitCode).not.toBe(0);
  }, 90_000);

  it("trusts a given CA bundle through the usual variables", async () => {
    const result = await sandbox.exec(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash indirect expansion, not a template
      'for v in SSL_CERT_FILE NODE_EXTRA_CA_CERTS REQUESTS_CA_BUNDLE PIP_CERT GIT_SSL_CAINFO; do echo "${!v}"; done',
    );
    expect(new Set(result.stdout.trim().split("\n"))).toEqual(
      new Set(["/home/agent/.inhouse/ca-bundle.pem"]),
    );
    const bundle = (await sandbox.exec("cat /home/agent/.inhouse/ca-bundle.pem")).stdout;
    expect(bundle).toContain((await firstCertificate()).split("\n")[1]);
  });
});

describeDocker("sandbox faults and cleanup", () => {
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
  });
  afterAll(() => restoreNock());

  it("says how to build a missing image", async () => {
    const attempt = createSandbox({ image: "inhouse-sandbox:no-such-tag" });
    await expect(attempt).rejects.toThrow(/npm run image/);
    await expect(attempt).rejects.toSatisfy((e) => isSandboxError(e, "image-missing"));
  });

  it("says how to start Docker when no engine answers", async () => {
    const attempt = createSandbox({}, new Docker({ socketPath: "/nonexistent/docker.sock" }));
    await expect(attempt).rejects.toThrow(/scripts\/docker-engine\.sh/);
  });

  it("refuses an allowlist entry that is not a host name", async () => {
    await expect(
      createSandbox({ network: "allowlist", allowlist: ["registry.npmjs.org", "http://evil.test/x"] }),
    ).rejects.toSatisfy((e) => isSandboxError(e, "invalid-options") && /allowlist/.test(String(e)));
  });

  it("fails a running command clearly when the container is killed from outside", async () => {
    const victim = await createSandbox({ taskId: "test-killed" });
    try {
      const outcome = victim.exec("sleep 60").then(
        () => undefined,
        (error: unknown) => error,
      );
      await new Docker().getContainer(victim.containerId).kill();
      const error = await outcome;
      expect(isSandboxError(error, "container-gone")).toBe(true);
      expect(String(error)).toMatch(/is gone: .*Start a new sandbox/);
      await expect(victim.exec("true")).rejects.toSatisfy((e) => isSandboxError(e, "container-gone"));
    } finally {
      await victim.destroy();
    }
  });

  it("removes leftover sandboxes by label and leaves fresh ones", async () => {
    const { removeLeftoverSandboxes } = await import("../../../action/sandbox/pool/index.ts");
    const docker = new Docker();
    const make = (created: number) =>
      docker.createContainer({
        Image: "inhouse-sandbox:latest",
        Cmd: ["true"],
        Labels: {
          "inhouse.sandbox": "1",
          "inhouse.created": String(created),
          "inhouse.task": "test-leftover",
        },
      });
    const stale = await make(1);
    const fresh = await make(Date.now());
    try {
      const removed = await removeLeftoverSandboxes({ olderThanMs: 24 * 3600_000 });
      expect(removed.containers).toContain(stale.id);
      expect(removed.containers).not.toContain(fresh.id);
      await expect(stale.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await fresh.remove({ force: true });
      await stale.remove({ force: true }).catch(() => undefined);
    }
  });

  it("removes a fresh sandbox at once when the process that created it on this host has died", async () => {
    const { removeLeftoverSandboxes } = await import("../../../action/sandbox/pool/index.ts");
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    const deadOwner = ownerOf(child.pid!);
    child.kill("SIGKILL");
    await once(child, "exit");
    const docker = new Docker();
    const make = (owner: string) =>
      docker.createContainer({
        Image: "inhouse-sandbox:latest",
        Cmd: ["true"],
        Labels: {
          "inhouse.sandbox": "1",
          "inhouse.created": String(Date.now()),
          "inhouse.task": "test-owner",
          "inhouse.owner": owner,
        },
      });
    const orphaned = await make(deadOwner);
    const owned = await make(currentOwner());
    try {
      const removed = await removeLeftoverSandboxes({ olderThanMs: 24 * 3600_000 });
      expect(removed.containers).toContain(orphaned.id);
      expect(removed.containers).not.toContain(owned.id);
    } finally {
      await owned.remove({ force: true });
      await orphaned.remove({ force: true }).catch(() => undefined);
    }
  });
});
