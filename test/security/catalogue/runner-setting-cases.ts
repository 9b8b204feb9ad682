/**
 * Attacks by a repository's `.github/agent.yml` on settings only the runner's administrator owns:
 * another image present on the runner as the sandbox, and a `host:port` that would ride on a runner
 * egress host named without a port. Each runs the whole action; the model plays along if asked.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { step } from "../../helpers/scripted-model-server.ts";
import type { AttackRun } from "./action-run.ts";
import { runAttacksAtOnce } from "./concurrent-attacks.ts";
import { attack } from "./registry.ts";

/** Present on every runner that runs the allowlist profile, and not a sandbox. */
const OTHER_IMAGE = "inhouse-egress-proxy:latest";

export function runnerSettingCases(): void {
  describe("settings only the runner's administrator owns", () => {
    let image: AttackRun;
    let port: AttackRun;
    beforeAll(async () => {
      const probe = [step.tool("run", { command: "id; cat /etc/os-release; ls /usr/sbin/squid" })];
      [image, port] = await runAttacksAtOnce(
        {
          issue: { title: "sum() subtracts", body: "sum(2, 3) is -1." },
          config: `sandbox:\n  image: ${OTHER_IMAGE}\n`,
          steps: () => probe,
        },
        {
          issue: { title: "sum() subtracts", body: "sum(2, 3) is -1." },
          allowedNetworks: "none,allowlist",
          inputs: { "egress-hosts": "registry.npmjs.org" },
          config: "sandbox:\n  network: allowlist\n  allowlist: [registry.npmjs.org:22]\n",
          steps: () => [
            step.tool("run", { command: "curl -sS --max-time 5 telnet://registry.npmjs.org:22" }),
          ],
        },
      );
    }, 240_000);
    afterAll(async () => {
      await image?.cleanup();
      await port?.cleanup();
    });

    attack("a repository naming another image present on the runner gets no sandbox from it", () => {
      expect(image.outcome.state).toBe("failed");
      expect(image.outcome.message).toContain(
        `sandbox image '${OTHER_IMAGE}', which this runner does not allow (allowed: inhouse-sandbox:latest)`,
      );
      expect(image.outcome.message).toContain("allowed-images");
      expect(image.model.requests).toHaveLength(0);
      expect(image.outgoing.github).toContain("allowed-images"); // the status comment names the fix
    });

    attack("a repository host:port never widens a runner egress host that named no port", () => {
      expect(port.outcome.state).toBe("failed");
      expect(port.outcome.message).toContain(
        "sandbox.allowlist hosts this runner does not allow: registry.npmjs.org:22 (allowed: registry.npmjs.org)",
      );
      expect(port.model.requests).toHaveLength(0);
    });
  });
}
