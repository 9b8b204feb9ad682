import { describe, expect, it } from "vitest";
import { enterNetworkPhase } from "../../../action/agent/network-phase.ts";
import type { NetworkMode, Sandbox } from "../../../action/sandbox/types.ts";

const network = { setup: "allowlist", agent: "none" } as const;

describe("network phases", () => {
  it("moves the sandbox to the setup profile, then to the agent's", async () => {
    const seen: NetworkMode[] = [];
    const sandbox = { setNetwork: async (mode: NetworkMode) => void seen.push(mode) } as unknown as Sandbox;
    await enterNetworkPhase(sandbox, network, "setup");
    await enterNetworkPhase(sandbox, network, "agent");
    expect(seen).toEqual(["allowlist", "none"]);
  });

  it("refuses different profiles on a sandbox that cannot switch, naming the config key", async () => {
    await expect(enterNetworkPhase({} as Sandbox, network, "setup")).rejects.toThrow(/sandbox\.network/);
    await expect(
      enterNetworkPhase({} as Sandbox, { setup: "none", agent: "none" }, "setup"),
    ).resolves.toBeUndefined();
  });
});
