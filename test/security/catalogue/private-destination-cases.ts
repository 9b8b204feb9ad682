/**
 * Attacks through the allowlist proxy on what lies behind it: names that resolve to loopback, and
 * allowed addresses of the runner host, its loopback and the cloud metadata service. Real sandbox,
 * real Squid, a real service listening on every interface of the runner host.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { createSandbox, type DockerSandbox } from "../../../action/sandbox/index.ts";
import { bridgeGateway } from "../../action/sandbox/sandbox-helpers.ts";
import { networkAttack, networkCasesRun } from "./registry.ts";

/** Explicitly through the proxy: the shell's NO_PROXY would send loopback names around it. */
const viaProxy = (url: string) =>
  `curl -sS --noproxy '' -x "$HTTP_PROXY" --max-time 10 -w ' %{http_code}' ${url} 2>&1; echo " exit=$?"`;
const REFUSED = / 403 exit=0$/m;
const TUNNEL_REFUSED = /CONNECT tunnel failed, response 403/;

export function privateDestinationCases(): void {
  describe("private destinations behind the allowlist proxy", () => {
    let sandbox: DockerSandbox;
    let service: Server;
    let gateway: string;
    let port: number;
    const run = (command: string) => sandbox.exec(command, { timeoutMs: 60_000 });
    beforeAll(async () => {
      if (!networkCasesRun) return; // every case here needs the allowlist profile: not tried, with the reason
      service = createServer((_, response) => response.end("host-service\n"));
      await new Promise<void>((resolve) => service.listen(0, "0.0.0.0", resolve));
      port = (service.address() as AddressInfo).port;
      gateway = await bridgeGateway();
      // What a repository's sandbox.allowlist may list when the runner sets no egress-hosts.
      sandbox = await createSandbox({
        taskId: "catalogue-private",
        network: "allowlist",
        allowlist: [
          `localhost:${port}`,
          "localhost",
          `ip6-localhost:${port}`,
          `${gateway}:${port}`,
          `0.0.0.0:${port}`,
          "169.254.169.254",
          "registry.npmjs.org",
        ],
        memoryMb: 256,
      });
    }, 120_000);
    afterAll(async () => {
      await sandbox?.destroy();
      await new Promise((resolve) => service?.close(resolve));
    });

    networkAttack(
      "an allowed name that resolves to loopback (localhost, ip6-localhost) is refused before the proxy connects",
      async () => {
        // localhost is 127.0.0.1 and ::1 in the proxy's /etc/hosts: one private answer is enough.
        expect((await run(viaProxy(`http://localhost:${port}/`))).stdout).toMatch(REFUSED);
        expect((await run(viaProxy("https://localhost/"))).stdout).toMatch(TUNNEL_REFUSED);
        // ip6-localhost is ::1 only. Docker gives this proxy no IPv6, so Squid drops the answer and
        // cannot connect (502); with IPv6 the ::1/128 rule refuses it (403). Never reached either way.
        const ipv6 = await run(viaProxy(`http://ip6-localhost:${port}/`));
        expect(ipv6.stdout).toMatch(/ (403|502) exit=0$/m);
        const blocked = (await sandbox.egressReport()).blocked;
        expect(blocked).toContainEqual({ host: "localhost", count: 2 });
      },
      120_000,
    );

    networkAttack(
      "the runner host's own service, allowed by its bridge address, is not reached through the proxy",
      async () => {
        const result = await run(viaProxy(`http://${gateway}:${port}/`));
        expect(result.stdout).not.toContain("host-service");
        expect(result.stdout).toMatch(REFUSED);
      },
      60_000,
    );

    networkAttack(
      "0.0.0.0 and the link-local metadata address, allowed by address, are refused",
      async () => {
        expect((await run(viaProxy(`http://0.0.0.0:${port}/`))).stdout).toMatch(REFUSED);
        expect((await run(viaProxy("http://169.254.169.254/latest/meta-data/"))).stdout).toMatch(REFUSED);
        // Positive control: a public allowed host still goes through the same proxy.
        expect((await run(viaProxy("https://registry.npmjs.org/"))).stdout).toMatch(/ 200 exit=0$/m);
      },
      120_000,
    );
  });
}
