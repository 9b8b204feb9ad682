import { describe, expect, it } from "vitest";
import { parseCidr, subtractRanges } from "../../../../action/sandbox/egress/ip-ranges.ts";
import { deniedDestinations, PRIVATE_RANGES } from "../../../../action/sandbox/egress/private-ranges.ts";

describe("CIDR ranges", () => {
  it.each([
    ["10.0.0.0/8", 4, 0x0a000000n, 0x0affffffn],
    ["192.168.1.7", 4, 0xc0a80107n, 0xc0a80107n],
    ["0.0.0.0/0", 4, 0n, 0xffffffffn],
    ["::1", 6, 1n, 1n],
    ["fc00::/7", 6, 0xfc00n << 112n, (0xfe00n << 112n) - 1n],
    ["::ffff:10.0.0.0/104", 6, (0xffffn << 32n) + 0x0a000000n, (0xffffn << 32n) + 0x0affffffn],
  ])("reads %s", (text, family, first, last) => {
    expect(parseCidr(text)).toEqual({ family, first, last });
  });

  it.each([
    ["10.0.0.1/8", /bits set past its prefix; write 10\.0\.0\.0\/8/],
    ["fd00::1/64", /write fd00::\/64/],
    ["10.0.0.0/33", /prefix length outside 0–32/],
    ["10.0.0.0/", /prefix length/],
    ["registry.corp", /not an address range/],
    ["10.0.0.0/8/8", /not an address range/],
    ["10.0.0.256/32", /not an address range/],
  ])("refuses %s, naming the fix", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });

  it("takes holes out of ranges and writes the fewest CIDR blocks", () => {
    const ranges = [parseCidr("10.0.0.0/8"), parseCidr("fc00::/7")];
    expect(subtractRanges(ranges, [])).toEqual(["10.0.0.0/8", "fc00::/7"]);
    expect(subtractRanges(ranges, [parseCidr("10.0.0.0/9"), parseCidr("fd00:1::/32")])).toEqual([
      "10.128.0.0/9",
      "fc00::/8",
      "fd00::/32",
      "fd00:2::/31",
      "fd00:4::/30",
      "fd00:8::/29",
      "fd00:10::/28",
      "fd00:20::/27",
      "fd00:40::/26",
      "fd00:80::/25",
      "fd00:100::/24",
      "fd00:200::/23",
      "fd00:400::/22",
      "fd00:800::/21",
      "fd00:1000::/20",
      "fd00:2000::/19",
      "fd00:4000::/18",
      "fd00:8000::/17",
      "fd01::/16",
      "fd02::/15",
      "fd04::/14",
      "fd08::/13",
      "fd10::/12",
      "fd20::/11",
      "fd40::/10",
      "fd80::/9",
    ]);
    // A hole of another family, or outside the range, changes nothing.
    expect(subtractRanges([parseCidr("127.0.0.0/8")], [parseCidr("::1"), parseCidr("8.8.8.8")])).toEqual([
      "127.0.0.0/8",
    ]);
    expect(subtractRanges([parseCidr("172.16.0.0/12")], [parseCidr("172.16.0.0/12")])).toEqual([]);
  });
});

describe("private destinations", () => {
  it("are every listed range when the runner opens none", () => {
    expect(deniedDestinations()).toEqual(PRIVATE_RANGES.map((range) => range.cidr));
    expect(deniedDestinations()).toEqual(
      expect.arrayContaining([
        "127.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "::1/128",
        "fc00::/7",
        "fe80::/10",
      ]),
    );
  });

  it("lose exactly the ranges the runner opened, so the rest of a block stays refused", () => {
    const denied = deniedDestinations(["172.17.0.1/32"]);
    expect(denied).not.toContain("172.16.0.0/12");
    expect(denied).toEqual(
      expect.arrayContaining(["172.16.0.0/16", "172.17.0.0/32", "172.17.0.2/31", "172.18.0.0/15"]),
    );
    expect(() => deniedDestinations(["10.0.0.1/8"])).toThrow(
      /^egress-internal-ranges: '10\.0\.0\.1\/8' has bits set/,
    );
  });
});
