/**
 * The allowlist proxy's whole policy: Squid may open CONNECT tunnels (HTTPS) and plain GET/HEAD
 * requests only to the configured hosts, on 443/80 or the port an entry names; everything else is
 * refused with 403 and logged as TCP_DENIED, which `egress-log.ts` counts. No cache, no headers
 * that reveal the sandbox, nothing written outside the container's tmpfs.
 */

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

/** The squid.conf for one task. `allowlist` empty means every request is refused. */
export function squidConfig(allowlist: readonly string[]): string {
  const rules = allowlist.map(parseAllowEntry);
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
  ];
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
