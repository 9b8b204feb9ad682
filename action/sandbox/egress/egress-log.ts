/**
 * Counts refused requests in the proxy's access log (format `inhouse` in squid-config.ts:
 * `<squid status> <http status> <method> <host>`), so a run can say "blocked: example.com ×3".
 */

export interface BlockedHost {
  host: string;
  count: number;
}

export interface EgressReport {
  blocked: BlockedHost[];
}

export function countBlocked(accessLog: string): EgressReport {
  const counts = new Map<string, number>();
  for (const line of accessLog.split("\n")) {
    const [status, , , host] = line.trim().split(/\s+/);
    if (!status?.startsWith("TCP_DENIED") || !host) continue;
    counts.set(host, (counts.get(host) ?? 0) + 1);
  }
  const blocked = [...counts].map(([host, count]) => ({ host, count }));
  blocked.sort((a, b) => b.count - a.count || a.host.localeCompare(b.host));
  return { blocked };
}

/** `blocked: example.com ×3, evil.test ×1`, or undefined when nothing was refused. */
export function formatBlocked(report: EgressReport | undefined): string | undefined {
  if (!report?.blocked.length) return undefined;
  return `blocked: ${report.blocked.map(({ host, count }) => `${host} ×${count}`).join(", ")}`;
}

/** `message · blocked: …` when the sandbox's proxy refused anything; the message unchanged otherwise. */
export async function withBlockedHosts(
  message: string,
  sandbox: { egressReport?(): Promise<EgressReport> } | undefined,
): Promise<string> {
  const report = await sandbox?.egressReport?.().catch(() => undefined);
  const line = formatBlocked(report);
  return line ? `${message} · ${line}` : message;
}
