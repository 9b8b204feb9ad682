import { describe, expect, it } from "vitest";
import { effectiveAllowlist } from "../../../../action/sandbox/egress/egress-allowlist.ts";

describe("effective allowlist", () => {
  it("is the repository's list when the runner names no hosts", () => {
    expect(effectiveAllowlist(["registry.npmjs.org"], [])).toEqual(["registry.npmjs.org"]);
  });

  it("always includes the runner's hosts and accepts repository hosts they cover", () => {
    const runner = ["registry.npmjs.org", "*.corp.example", "mirror.example:8443"];
    expect(effectiveAllowlist([], runner)).toEqual(runner);
    expect(effectiveAllowlist(["pypi.corp.example", "mirror.example:8443"], runner)).toEqual([
      ...runner,
      "pypi.corp.example",
    ]);
  });

  it("refuses repository hosts outside the runner's list, naming them and the input", () => {
    expect(() =>
      effectiveAllowlist(
        ["evil.test", "mirror.example", "corp.example.evil.test"],
        ["*.corp.example", "mirror.example:8443"],
      ),
    ).toThrow(/evil\.test, mirror\.example, corp\.example\.evil\.test .*egress-hosts/);
  });

  it("never lets a repository host:port widen a runner entry that named no port", () => {
    const runner = ["registry.npmjs.org", "*.corp.example"];
    for (const wider of ["registry.npmjs.org:22", "registry.npmjs.org:8080", "git.corp.example:6379"]) {
      expect(() => effectiveAllowlist([wider], runner)).toThrow(`${wider} (allowed:`);
    }
    // The web ports are what an entry without a port already lets through.
    expect(effectiveAllowlist(["registry.npmjs.org:443", "pypi.corp.example:80"], runner)).toEqual([
      ...runner,
      "registry.npmjs.org:443",
      "pypi.corp.example:80",
    ]);
  });
});
