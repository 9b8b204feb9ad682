/** The allowlist network profile: proxy container, its policy, and what it refused. */
export {
  type BlockedHost,
  countBlocked,
  type EgressReport,
  formatBlocked,
  withBlockedHosts,
} from "./egress-log.ts";
export { DEFAULT_PROXY_IMAGE, EgressProxy, LABEL_ROLE } from "./egress-proxy.ts";
export { deniedDestinations, PRIVATE_RANGES, parseInternalRanges } from "./private-ranges.ts";
export { PROXY_ENV_NAMES, SandboxNetwork } from "./sandbox-network.ts";
export { PROXY_PORT, parseAllowEntry, squidConfig } from "./squid-config.ts";
