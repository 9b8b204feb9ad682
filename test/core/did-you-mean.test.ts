import { describe, expect, it } from "vitest";
import { didYouMean } from "../../core/did-you-mean.ts";
import { formatErrors } from "../../core/result.ts";

describe("didYouMean", () => {
  const known = ["trigger", "permissions", "limits", "sandbox"];

  it("suggests the closest name for a typo, ignoring case", () => {
    expect(didYouMean("limts", known)).toBe("limits");
    expect(didYouMean("Sandbox", known)).toBe("sandbox");
    expect(didYouMean("permisions", known)).toBe("permissions");
  });

  it("suggests nothing when no name is close", () => {
    expect(didYouMean("automation", known)).toBeUndefined();
    expect(didYouMean("x", [])).toBeUndefined();
  });
});

describe("formatErrors", () => {
  it("prints one error a line, with its path when it has one", () => {
    expect(
      formatErrors([
        { path: "", message: "the file is not valid YAML" },
        { path: "limits.turns", message: "expected a number" },
      ]),
    ).toBe("the file is not valid YAML\nlimits.turns: expected a number");
  });
});
