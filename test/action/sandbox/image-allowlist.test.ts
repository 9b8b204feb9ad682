import { describe, expect, it } from "vitest";
import { parseSettings } from "../../../action/job/settings.ts";
import { allowedImage, normaliseImage } from "../../../action/sandbox/image-allowlist.ts";

describe("sandbox image allowlist", () => {
  it.each([
    ["inhouse-sandbox", "inhouse-sandbox:latest"],
    ["inhouse-sandbox:latest", "inhouse-sandbox:latest"],
    ["ghcr.io/acme/agent:1", "ghcr.io/acme/agent:1"],
    ["registry.corp:5000/agent", "registry.corp:5000/agent:latest"],
    ["ghcr.io/acme/agent@sha256:abc", "ghcr.io/acme/agent@sha256:abc"],
  ])("reads %s as Docker does: %s", (name, normalised) => {
    expect(normaliseImage(name)).toBe(normalised);
  });

  it("runs the runner's image when the repository names none, and an allowed one when it does", () => {
    const runner = ["inhouse-sandbox:latest", "ghcr.io/acme/agent:1"];
    expect(allowedImage(undefined, runner)).toBe("inhouse-sandbox:latest");
    expect(allowedImage("inhouse-sandbox", runner)).toBe("inhouse-sandbox");
    expect(allowedImage("ghcr.io/acme/agent:1", runner)).toBe("ghcr.io/acme/agent:1");
  });

  it("refuses any other image, naming it, the allowed ones and the input", () => {
    const runner = ["inhouse-sandbox:latest"];
    for (const image of [
      "inhouse-egress-proxy:latest",
      "debian:bookworm-slim",
      "inhouse-sandbox:old",
      "ghcr.io/acme/agent",
    ]) {
      expect(() => allowedImage(image, runner)).toThrow(
        `sandbox image '${image}', which this runner does not allow (allowed: inhouse-sandbox:latest)`,
      );
    }
    expect(() => allowedImage("x", runner)).toThrow(/Remove sandbox\.image .* allowed-images/);
  });

  it("puts the runner's image input first and allowed-images after it", () => {
    const read = (inputs: Record<string, string>) =>
      parseSettings(
        (name) => ({ task: "{}", "github-token": "ghs_x", "app-id": "4242", ...inputs })[name] ?? "",
        () => {},
      ).caps.images;
    expect(read({})).toEqual(["inhouse-sandbox:latest"]);
    expect(read({ image: "corp/sandbox:3", "allowed-images": "corp/py:1, corp/go:1" })).toEqual([
      "corp/sandbox:3",
      "corp/py:1",
      "corp/go:1",
    ]);
  });
});
