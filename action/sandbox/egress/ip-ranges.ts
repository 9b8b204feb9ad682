/**
 * CIDR ranges as integer intervals, for the proxy's address rules: parse what an administrator
 * writes (`10.20.0.0/16`, `fd00:1::/64`, a single address), take one set of ranges out of another,
 * and write the result back as the fewest CIDR blocks (Squid's `dst` ACL takes CIDR blocks).
 */
import { isIPv4, isIPv6 } from "node:net";

export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;

export class IpRangeError extends Error {
  override name = "IpRangeError";
}

/** `a.b.c.d/n`, `x:y::/n`, or one address. Host bits must be zero, so a typo cannot widen a range. */
export function parseCidr(text: string): IpRange {
  const [address = "", prefixText, extra] = text.trim().split("/");
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (!family || extra !== undefined) {
    throw new IpRangeError(
      `'${text}' is not an address range; write one such as 10.20.0.0/16 or fd00:1::/64`,
    );
  }
  const bits = BITS[family];
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits || prefixText === "") {
    throw new IpRangeError(`'${text}' has a prefix length outside 0–${bits}`);
  }
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const size = 1n << BigInt(bits - prefix);
  const first = value - (value % size);
  if (first !== value) {
    throw new IpRangeError(
      `'${text}' has bits set past its prefix; write ${formatCidr(family, first, prefix)}`,
    );
  }
  return { family, first, last: first + size - 1n };
}

/** `ranges` without any address of `holes`, as CIDR blocks (families kept apart). */
export function subtractRanges(ranges: IpRange[], holes: IpRange[]): string[] {
  let pieces = ranges;
  for (const hole of holes) {
    pieces = pieces.flatMap((piece) => {
      if (piece.family !== hole.family || hole.last < piece.first || hole.first > piece.last) return [piece];
      const left = hole.first > piece.first ? [{ ...piece, last: hole.first - 1n }] : [];
      const right = hole.last < piece.last ? [{ ...piece, first: hole.last + 1n }] : [];
      return [...left, ...right];
    });
  }
  return pieces.flatMap(toCidrs);
}

/** The fewest CIDR blocks covering exactly [first, last]. */
function toCidrs({ family, first, last }: IpRange): string[] {
  const bits = BITS[family];
  const blocks: string[] = [];
  let start = first;
  while (start <= last) {
    let size = 1n;
    let prefix = bits;
    while (prefix > 0 && start % (size * 2n) === 0n && start + size * 2n - 1n <= last) {
      size *= 2n;
      prefix--;
    }
    blocks.push(formatCidr(family, start, prefix));
    start += size;
  }
  return blocks;
}

function formatCidr(family: 4 | 6, value: bigint, prefix: number): string {
  return `${family === 4 ? formatIpv4(value) : formatIpv6(value)}/${prefix}`;
}

function ipv4ToBigInt(address: string): bigint {
  return address.split(".").reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** Eight hextets, with `::` expanded and a dotted IPv4 tail (`::ffff:1.2.3.4`) read as two. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const v4 = ipv4ToBigInt(v4Tail[1]!);
    text = `${text.slice(0, v4Tail.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - headParts.length - tailParts.length).fill("0");
  return [...headParts, ...zeros, ...tailParts].reduce((sum, part) => (sum << 16n) + BigInt(`0x${part}`), 0n);
}

/** Compressed form: the longest run of two or more zero hextets becomes `::`. */
function formatIpv6(value: bigint): string {
  const hextets = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - i * 16)) & 0xffffn));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && hextets[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = hextets.map((h) => h.toString(16));
  if (best.length < 2) return hex.join(":");
  return `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
}
