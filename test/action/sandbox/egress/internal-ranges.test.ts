/**
 * The proxy's private-destination rule on a real Squid: a service on the runner host (listening on
 * every interface, reached through the default bridge's gateway) is refused unless the runner's
 * administrator opened exactly its range with `internalRanges`; loopback stays refused either way.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSandbox, type DockerSandbox } from "../../../../action/sandbox/index.ts";
import { describeDocker } from "../../../helpers/docker.ts";
import { allowDockerHijack, bridgeGateway, requireSandboxImage } from "../sandbox-helpers.ts";

/** Through the proxy explicitly: the shell's NO_PROXY would send loopback names around it. */
const viaProxy = (url: string) =>
  `curl -sS --noproxy '' -x "$HTTP_PROXY" --max-time 10 -w ' %{http_code}' ${url} 2>&1; echo " exit=$?"`;

describeDocker("allowlist proxy: private destinations and internal ranges", () => {
  let opened: DockerSandbox;
  let closed: DockerSandbox;
  let service: Server;
  let gateway: string;
  let port: number;
  let restoreNock: () => void = () => undefined;
  beforeAll(async () => {
    restoreNock = allowDockerHijack();
    await requireSandboxImage();
    service = createServer((_, response) => response.end("host-service\n"));
    await new Promise<void>((resolve) => service.listen(0, "0.0.0.0", resolve));
    port = (service.address() as AddressInfo).port;
    gateway = await bridgeGateway();
    const allowlist = [`${gateway}:${port}`, `localhost:${port}`];
    [opened, closed] = await Promise.all([
      createSandbox({
        taskId: "test-internal-open",
        network: "allowlist",
        allowlist,
        internalRanges: [`${gateway}/32`],
        memoryMb: 256,
      }),
      createSandbox({ taskId: "test-internal-closed", network: "allowlist", allowlist, memoryMb: 256 }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([opened?.destroy(), closed?.destroy()]);
    await new Promise((resolve) => service?.close(resolve));
    restoreNock();
  });

  it("refuses the runner host's service when no internal range is opened", async () => {
    const result = await closed.exec(viaProxy(`http://${gateway}:${port}/`), { timeoutMs: 30_000 });
    expect(result.stdout).not.toContain("host-service");
    expect(result.stdout).toMatch(/ 403 exit=0/);
    expect((await closed.egressReport()).blocked).toContainEqual({ host: gateway, count: 1 });
  });

  it("reaches it when the administrator opened exactly its range, and still refuses loopback", async () => {
    const reached = await opened.exec(viaProxy(`http://${gateway}:${port}/`), { timeoutMs: 30_000 });
    expect(reached.stdout).toMatch(/^host-service\n 200 exit=0/);
    const loopback = await opened.exec(viaProxy(`http://localhost:${port}/`), { timeoutMs: 30_000 });
    expect(loopback.stdout).toMatch(/ 403 exit=0/);
  });
});
