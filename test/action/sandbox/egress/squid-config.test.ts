import { describe, expect, it } from "vitest";
import { countBlocked, formatBlocked } from "../../../../action/sandbox/egress/egress-log.ts";
import { deniedDestinations } from "../../../../action/sandbox/egress/private-ranges.ts";
import { parseAllowEntry, squidConfig } from "../../../../action/sandbox/egress/squid-config.ts";

describe("allowlist proxy policy", () => {
  it("allows CONNECT and GET/HEAD only to the listed hosts, then denies everything", () => {
    const conf = squidConfig(["registry.npmjs.org", "*.pypi.org", "mirror.corp:8443"]);
    expect(conf).toContain("acl allowed_0 dstdomain -n registry.npmjs.org");
    expect(conf).toContain("acl allowed_1 dstdomain -n .pypi.org");
    expect(conf).toContain("acl allowed_2 dstdomain -n mirror.corp\nacl allowed_2_port port 8443");
    expect(conf).toContain("http_access allow CONNECT allowed_0 web_ports");
    expect(conf).toContain("http_access allow fetch allowed_2 allowed_2_port");
    expect(conf).toContain("acl fetch method GET HEAD");
    expect(conf.trimEnd().split("\n").at(-1)).toBe("http_access deny all");
    expect(conf).not.toMatch(/http_access allow all/);
  });

  it("denies everything when the allowlist is empty", () => {
    const rules = squidConfig([])
      .split("\n")
      .filter((line) => line.startsWith("http_access"));
    expect(rules).toEqual(["http_access deny private_destinations", "http_access deny all"]);
  });

  it("refuses private destinations before any allow rule, minus the ranges the runner opened", () => {
    const lines = squidConfig(["registry.npmjs.org"]).split("\n");
    const acl = lines.find((line) => line.startsWith("acl private_destinations dst "))!;
    expect(acl.split(" ").slice(3)).toEqual(deniedDestinations());
    const denyAt = lines.indexOf("http_access deny private_destinations");
    expect(denyAt).toBeGreaterThan(lines.indexOf(acl));
    expect(denyAt).toBeLessThan(lines.findIndex((line) => line.startsWith("http_access allow")));
    const opened = squidConfig(["registry.corp"], { internalRanges: ["10.20.0.0/16"] });
    expect(opened).toContain(
      " 10.0.0.0/12 10.16.0.0/14 10.21.0.0/16 10.22.0.0/15 10.24.0.0/13 10.32.0.0/11 ",
    );
    expect(opened).not.toContain(" 10.0.0.0/8 ");
  });

  it("refuses entries that are not host names, so nothing can be smuggled into squid.conf", () => {
    for (const bad of ["evil.test\nhttp_access allow all", "http://x.test", "x.test:99999", "*", "a b"]) {
      expect(() => parseAllowEntry(bad)).toThrow(/not a host name/);
    }
    expect(parseAllowEntry("Registry.NPMJS.org")).toEqual({ domain: "registry.npmjs.org", port: undefined });
  });
});

describe("egress report", () => {
  it("counts TCP_DENIED lines by host, most blocked first", () => {
    const log = [
      "TCP_TUNNEL 200 CONNECT registry.npmjs.org",
      "TCP_DENIED 403 CONNECT example.com",
      "TCP_DENIED 403 GET example.com",
      "TCP_DENIED 403 CONNECT evil.test",
      "TCP_DENIED 403 CONNECT example.com",
      "",
    ].join("\n");
    const report = countBlocked(log);
    expect(report).toEqual({
      blocked: [
        { host: "example.com", count: 3 },
        { host: "evil.test", count: 1 },
      ],
    });
    expect(formatBlocked(report)).toBe("blocked: example.com ×3, evil.test ×1");
    expect(formatBlocked({ blocked: [] })).toBeUndefined();
  });
});
