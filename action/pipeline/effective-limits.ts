import type { RepoConfig } from "../../core/config.ts";
import type { AgentLimits } from "../agent/types.ts";
import type { Settings } from "../job/settings.ts";
import { effectiveAllowlist } from "../sandbox/egress/egress-allowlist.ts";
import { allowedImage } from "../sandbox/image-allowlist.ts";
import { allowedRuntime } from "../sandbox/runtime-allowlist.ts";
import type { NetworkMode } from "../sandbox/types.ts";

export interface EffectiveLimits {
  agent: AgentLimits;
  memoryMb: number;
  cpus: number;
  pids: number;
  network: { setup: NetworkMode; agent: NetworkMode };
  /** Hosts the allowlist proxy lets through: the runner's egress-hosts plus what the repository adds. */
  allowlist: string[];
  /** Private ranges the allowlist proxy may reach: only the runner's `egress-internal-ranges`. */
  internalRanges: string[];
  /** The sandbox image: the runner's, or the repository's `sandbox.image` when the runner allows it. */
  image: string;
  /** The container runtime (undefined: the Docker daemon's default): `runtime-allowlist.ts`. */
  runtime?: string;
}

/**
 * A repository may ask for less than the runner allows, never more: numbers are capped silently
 * (the summary shows the effective value); a network mode the runner does not allow is an error,
 * because quietly cutting the network would make setup fail in a confusing way. So is an image
 * the runner does not list.
 */
export function effectiveLimits(config: RepoConfig, caps: Settings["caps"]): EffectiveLimits {
  const network = config.sandbox.network;
  for (const [phase, mode] of Object.entries(network)) {
    if (!caps.networks.includes(mode)) {
      throw new Error(
        `.github/agent.yml asks for sandbox network '${mode}' during ${phase}, which this runner does not allow (allowed: ${caps.networks.join(", ")}). ` +
          "Change sandbox.network in the config, or ask the runner's administrator to add it to allowed-networks.",
      );
    }
  }
  return {
    agent: {
      turns: Math.min(config.limits.turns, caps.turns),
      tokens: Math.min(config.limits.tokens, caps.tokens),
      minutes: Math.min(config.limits.minutes, caps.minutes),
      callsPerTurn: Math.min(config.limits.callsPerTurn, caps.callsPerTurn),
      ...(caps.cost !== undefined ? { maxCost: caps.cost } : {}),
    },
    memoryMb: Math.min(config.sandbox.memoryMb, caps.memoryMb),
    cpus: Math.min(config.sandbox.cpus, caps.cpus),
    pids: Math.min(config.sandbox.pids, caps.pids),
    network,
    allowlist: effectiveAllowlist(config.sandbox.allowlist, caps.egressHosts),
    internalRanges: caps.egressInternalRanges,
    image: allowedImage(config.sandbox.image, caps.images),
    ...runtimeField(allowedRuntime(config.sandbox.runtime, caps.runtimes)),
  };
}

function runtimeField(runtime: string | undefined): { runtime?: string } {
  return runtime === undefined ? {} : { runtime };
}
