/**
 * Setup commands may run under a wider network profile than the agent's turns (config
 * `sandbox.network.setup` vs `.agent`): the loop moves the running sandbox between them, so the
 * model never gets the setup network.
 */
import type { NetworkMode, Sandbox } from "../sandbox/types.ts";

export async function enterNetworkPhase(
  sandbox: Sandbox,
  network: { setup: NetworkMode; agent: NetworkMode } | undefined,
  phase: "setup" | "agent",
): Promise<void> {
  if (!network) return;
  if (sandbox.setNetwork) return sandbox.setNetwork(network[phase]);
  if (network.setup !== network.agent) {
    throw new Error(
      `This sandbox cannot switch networks, so it cannot run setup under '${network.setup}' and the turns under '${network.agent}'; set one sandbox.network mode for both in .github/agent.yml.`,
    );
  }
}
