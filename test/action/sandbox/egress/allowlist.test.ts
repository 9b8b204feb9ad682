import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSandbox, type DockerSandbox } from "../../../../action/sandbox/index.ts";
import { describeDocker } from "../../../helpers/docker.ts";
import { allowDockerHijack, requireSandboxImage } from "../sandbox-helpers.ts";

// Only hosts this machine may reach: the allowed registry, and the denied ones are refused by the
// proxy before any connection leaves it.
const ALLOWED = "registry.npmjs.org";
const DENIED = "example.com";
const status = (url: string, extra = "") =>
  `curl -sS -o /dev/null -w '%{http_code}' --max-time 20 ${extra} ${url} 2>&1; echo " exit=$?"`;

describeDocker("sandbox network profile allowlist", () => {
  const docker = new Docker();
  let sandbox: DockerSandbox;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    sandbox = await createSandbox({
      taskId: "test-egress",
      network: "allowlist",
      allowlist: [ALLOWED],
      caBundlePath: "/etc/ssl/certs/ca-certificates.crt",
      memoryMb: 256,
    });
  });
  afterAll(async () => {
    await sandbox?.destroy();
    restoreNock();
  });

  it("reaches an allowed host through the proxy the shell is pointed at", async () => {
    const env = await sandbox.exec("echo $HTTPS_PROXY $https_proxy $NO_PROXY");
    expect(env.stdout).toMatch(/^http:\/\/[\d.]+:3128 http:\/\/[\d.]+:3128 localhost,127\.0\.0\.1,::1\n$/);
    const result = await sandbox.exec(status(`https://${ALLOWED}/`), { timeoutMs: 30_000 });
    expect(result.stdout).toMatch(/^200 exit=0/);
  });

  it("gets 403 from the proxy for a host outside the allowlist, over HTTPS and HTTP", async () => {
    const https = await sandbox.exec(status(`https://${DENIED}/`), { timeoutMs: 30_000 });
    expect(https.stdout).toMatch(/CONNECT tunnel failed, response 403/);
    const http = await sandbox.exec(status(`http://${DENIED}/`), { timeoutMs: 30_000 });
    expect(http.stdout).toMatch(/^403 exit=0/);
  });

  it("cannot go around the proxy: no route out, no DNS for outside names", async () => {
    const direct = await sandbox.exec(status(`https://${ALLOWED}/`, "--noproxy '*' --max-time 5"), {
      timeoutMs: 30_000,
    });
    expect(direct.stdout).not.toMatch(/^200/);
    expect(direct.stdout).toMatch(/exit=(6|7|28)/);
    const dns = await sandbox.exec(`getent hosts ${DENIED} || echo dns-failed`, { timeoutMs: 30_000 });
    expect(dns.stdout).toContain("dns-failed");
  });

  it("reports the refused hosts with counts", async () => {
    const report = await sandbox.egressReport();
    expect(report.blocked).toEqual([{ host: DENIED, count: 2 }]);
  });

  it("switches profiles on the running sandbox: none cuts the proxy, allowlist brings it back", async () => {
    await sandbox.setNetwork("none");
    const cut = await sandbox.exec(
      `echo "[$HTTPS_PROXY]"; ${status(`https://${ALLOWED}/`, "--max-time 5")}`,
      {
        timeoutMs: 30_000,
      },
    );
    expect(cut.stdout).toMatch(/^\[\]\n/);
    expect(cut.stdout).not.toMatch(/200 exit=0/);
    await sandbox.setNetwork("allowlist");
    const back = await sandbox.exec(status(`https://${ALLOWED}/`), { timeoutMs: 30_000 });
    expect(back.stdout).toMatch(/^200 exit=0/);
  });

  it("removes the proxy container and the internal network with the sandbox", async () => {
    const filters = JSON.stringify({ label: ["inhouse.task=test-egress"] });
    expect((await docker.listNetworks({ filters })).length).toBe(1);
    expect((await docker.listContainers({ all: true, filters })).length).toBe(2);
    await sandbox.destroy();
    expect(await docker.listNetworks({ filters })).toEqual([]);
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect((await sandbox.egressReport()).blocked).toEqual([{ host: DENIED, count: 2 }]);
  });
});

describeDocker("sandbox network switching from none", () => {
  let restoreNock: () => void = () => undefined;
  beforeAll(() => {
    restoreNock = allowDockerHijack();
  });
  afterAll(() => restoreNock());

  it("starts without a network, then moves to allowlist and open on the running container", async () => {
    const sandbox = await createSandbox({
      taskId: "test-egress-switch",
      allowlist: [ALLOWED],
      memoryMb: 256,
    });
    try {
      expect(sandbox.networkMode).toBe("none");
      expect(
        (await sandbox.exec(status(`https://${ALLOWED}/`, "--max-time 5"), { timeoutMs: 30_000 })).stdout,
      ).not.toMatch(/^200/);
      await sandbox.setNetwork("allowlist");
      expect((await sandbox.exec(status(`https://${ALLOWED}/`), { timeoutMs: 30_000 })).stdout).toMatch(
        /^200 exit=0/,
      );
      await sandbox.setNetwork("open");
      const open = await sandbox.exec(`echo "[$HTTPS_PROXY]"; ${status(`https://${ALLOWED}/`)}`, {
        timeoutMs: 30_000,
      });
      expect(open.stdout).toMatch(/^\[\]\n200 exit=0/);
    } finally {
      await sandbox.destroy();
    }
  }, 120_000);
});
