/**
 * Destinations the allowlist proxy refuses whatever name led to them: the runner's own loopback,
 * private networks (the runner host, its neighbours, cloud metadata on link-local), carrier-grade
 * NAT, and their IPv6 counterparts. An allowed name that resolves to one of them (by accident or
 * by a hostile DNS answer) is refused before Squid connects. The runner's administrator may open
 * specific internal ranges (an internal registry) with the `egress-internal-ranges` input; those are
 * cut out of this list, so an address outside them stays refused even when the same name also
 * resolves to an allowed one.
 */
import { type IpRange, parseCidr, subtractRanges } from "./ip-ranges.ts";

/** Each range with the registry entry that defines it (IANA special-purpose registries, RFC 6890). */
export const PRIVATE_RANGES: readonly { cidr: string; what: string }[] = [
  // https://www.iana.org/assignments/iana-ipv4-special-registry/ ("This network", RFC 791 §3.2):
  // Linux connects 0.0.0.0 to the local host.
  { cidr: "0.0.0.0/8", what: "this host on this network (RFC 791)" },
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT shared space (RFC 6598)" },
  { cidr: "127.0.0.0/8", what: "loopback (RFC 1122 §3.2.1.3)" },
  { cidr: "169.254.0.0/16", what: "link-local, cloud metadata (RFC 3927)" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918), Docker's bridges" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  // https://www.iana.org/assignments/iana-ipv6-special-registry/
  { cidr: "::/128", what: "unspecified (RFC 4291 §2.5.2)" },
  { cidr: "::1/128", what: "loopback (RFC 4291 §2.5.3)" },
  { cidr: "fc00::/7", what: "unique local (RFC 4193)" },
  { cidr: "fe80::/10", what: "link-local (RFC 4291 §2.5.6)" },
  { cidr: "fec0::/10", what: "site-local, deprecated but routed by some networks (RFC 3879)" },
  // IPv4-mapped IPv6 (::ffff:0:0/96) is not listed: Squid keeps IPv4 addresses in that form, so the
  // IPv4 ranges above already match a mapped answer, and listing it would refuse every IPv4 host.
];

/** Checks the administrator's `egress-internal-ranges`; the message names the input and the fix. */
export function parseInternalRanges(ranges: readonly string[]): IpRange[] {
  return ranges.map((text) => {
    try {
      return parseCidr(text);
    } catch (error) {
      throw new Error(`egress-internal-ranges: ${(error as Error).message}`);
    }
  });
}

/** The private ranges minus what the administrator opened, as CIDR blocks for Squid's `dst` ACL. */
export function deniedDestinations(internalRanges: readonly string[] = []): string[] {
  return subtractRanges(
    PRIVATE_RANGES.map((range) => parseCidr(range.cidr)),
    parseInternalRanges(internalRanges),
  );
}
