import { describe, expect, it } from "vitest";
import {
  effectivePermission,
  meetsMinimum,
  type Permission,
  permissionLevels,
} from "../../core/permissions.ts";

describe("effectivePermission", () => {
  it("prefers role_name, which knows maintain and triage", () => {
    expect(effectivePermission({ permission: "write", role_name: "maintain" })).toBe("maintain");
    expect(effectivePermission({ permission: "read", role_name: "triage" })).toBe("triage");
  });

  it("falls back to the legacy permission for a custom role", () => {
    expect(effectivePermission({ permission: "write", role_name: "security-reviewer" })).toBe("write");
  });

  it("uses permission when role_name is absent", () => {
    expect(effectivePermission({ permission: "admin" })).toBe("admin");
  });

  it("is none for unknown or missing values", () => {
    expect(effectivePermission({ permission: "owner", role_name: "custom" })).toBe("none");
    expect(effectivePermission({})).toBe("none");
  });
});

describe("meetsMinimum", () => {
  // Every pair of levels: a level meets a minimum exactly when it is not weaker.
  const pairs = permissionLevels.flatMap((actual, a) =>
    permissionLevels.map((minimum, m) => [actual, minimum, a >= m] as [Permission, Permission, boolean]),
  );

  it.each(pairs)("%s against minimum %s is %s", (actual, minimum, expected) => {
    expect(meetsMinimum(actual, minimum)).toBe(expected);
  });

  it("orders the levels from none to admin", () => {
    expect(permissionLevels).toEqual(["none", "read", "triage", "write", "maintain", "admin"]);
  });
});
