/**
 * The allowlist proxy's whole policy: Squid may open CONNECT tunnels (HTTPS) and plain GET/HEAD
 * requests only to the configured hosts, on 443/80 or the port an entry names, and never to a
 * private destination (private-ranges.ts), whatever name resolves to it; everything else is
 * refused with 403 and logged as TCP_DENIED, which `egress-log.ts` counts. No cache, no headers
 * that reveal the sandbox, nothing written outside the container's tmpfs.
 */
import { deniedDestinations } from "./private-ranges.ts";

export const PROXY_PORT = 3128;

/** One allowlist entry as the repository config spells it: `host`, `*.host`, optionally `:port`. */
const ENTRY = /^(\*\.)?([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::(\d{1,5}))?$/;

interface AllowRule {
  /** Squid dstdomain value: `host` exactly, or `.host` for the host and its subdomains. */
  domain: string;
  /** A named port, or undefined for the web defaults (80 and 443). */
  port?: number;
}

export function parseAllowEntry(entry: string): AllowRule {
  const match = ENTRY.exec(entry.trim());
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new Error(
      `Allowlist entry ${JSON.stringify(entry)} is not a host name: use registry.npmjs.org, *.example.com or host:port.`,
    );
  }
  const host = match[2]!.toLowerCase();
  return { domain: match[1] ? `.${host}` : host, port };
}

export interface SquidPolicy {
  /** Private ranges the runner's administrator opened (`egress-internal-ranges`). */
  internalRanges?: readonly string[];
}

/** The squid.conf for one task. `allowlist` empty means every request is refused. */
export function squidConfig(allowlist: readonly string[], policy: SquidPolicy = {}): string {
  const rules = allowlist.map(parseAllowEntry);
  const denied = deniedDestinations(policy.internalRanges);
  const lines = [
    `http_port ${PROXY_PORT}`,
    "pid_filename none",
    "cache_log stdio:/dev/stderr",
    "logformat inhouse %Ss %>Hs %rm %>rd",
    "access_log stdio:/dev/stdout inhouse",
    "logfile_rotate 0",
    "cache deny all",
    "cache_mem 0 MB",
    "coredump_dir /tmp",
    "shutdown_lifetime 0 seconds",
    "via off",
    "forwarded_for delete",
    "httpd_suppress_version_string on",
    "pinger_enable off",
    "acl web_ports port 80 443",
    "acl CONNECT method CONNECT",
    "acl fetch method GET HEAD",
    // Also the least time a positive answer stays cached, so the addresses `dst` checked are the
    // ones Squid connects to (https://www.squid-cache.org/Doc/config/negative_dns_ttl).
    "negative_dns_ttl 1 minutes",
  ];
  if (denied.length > 0) {
    // `dst` resolves the name and matches when ANY of its addresses is in the list
    // (ACLDestinationIP::match, https://www.squid-cache.org/Doc/code/DestinationIp_8cc_source.html),
    // so one private answer among public ones is enough to refuse. Checked before any allow rule.
    lines.push(`acl private_destinations dst ${denied.join(" ")}`);
    lines.push("http_access deny private_destinations");
  }
  rules.forEach((rule, index) => {
    const name = `allowed_${index}`;
    // -n: compare names only, never reverse-resolve an IP literal into an allowed name.
    lines.push(`acl ${name} dstdomain -n ${rule.domain}`);
    const ports = rule.port === undefined ? "web_ports" : `${name}_port`;
    if (rule.port !== undefined) lines.push(`acl ${name}_port port ${rule.port}`);
    lines.push(`http_access allow CONNECT ${name} ${ports}`);
    lines.push(`http_access allow fetch ${name} ${ports}`);
  });
  lines.push("http_access deny all");
  return `${lines.join("\n")}\n`;
}
