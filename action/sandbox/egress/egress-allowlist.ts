/**
 * Which hosts the allowlist proxy lets through for a task. The runner's administrator lists the
 * hosts every task may reach (input `egress-hosts`: registries, company mirrors); a repository's
 * `sandbox.allowlist` adds to them only within that list, because a repository must not widen
 * what the runner allows. With no `egress-hosts`, the administrator allowed the `allowlist` mode
 * without naming hosts, and the repository's list stands.
 */

/** Ports an entry without a port lets through (squid-config.ts: `web_ports`). */
const WEB_PORTS = ["80", "443"];

/**
 * True when `entry` (host, *.host, host:port) is covered by `allowed` under the same rules. An
 * allowed entry without a port covers only the web ports: `host:22` never rides on `host`.
 */
function covers(allowed: string, entry: string): boolean {
  const [allowedHost = "", allowedPort] = allowed.toLowerCase().split(":");
  const [host = "", port] = entry.toLowerCase().split(":");
  if (allowedPort === undefined ? port !== undefined && !WEB_PORTS.includes(port) : allowedPort !== port) {
    return false;
  }
  if (allowedHost.startsWith("*.")) {
    const suffix = allowedHost.slice(1);
    return host.endsWith(suffix) || host === allowedHost;
  }
  return host === allowedHost;
}

export function effectiveAllowlist(repository: string[], runnerHosts: string[]): string[] {
  if (runnerHosts.length === 0) return repository;
  const outside = repository.filter((entry) => !runnerHosts.some((allowed) => covers(allowed, entry)));
  if (outside.length > 0) {
    throw new Error(
      `.github/agent.yml lists sandbox.allowlist hosts this runner does not allow: ${outside.join(", ")} (allowed: ${runnerHosts.join(", ")}). ` +
        "Remove them from the config, or ask the runner's administrator to add them to the egress-hosts input.",
    );
  }
  return [...new Set([...runnerHosts, ...repository])];
}
