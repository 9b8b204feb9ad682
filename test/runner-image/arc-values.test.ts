import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { describe, expect, it } from "vitest";

/**
 * runner-image/arc/values.yaml against the keys the gha-runner-scale-set chart documents
 * (runner-image/arc/chart-values-keys.txt, derived from the chart's values.yaml with its source
 * cited there): a key the chart does not know would be ignored by Helm without a word.
 */
const ARC = join(import.meta.dirname, "../../runner-image/arc");
const documented = readFileSync(join(ARC, "chart-values-keys.txt"), "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

/** Every key path of a values document: `a.b`, list items as `a[].b`. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, path)];
  });
}

/** The paths the chart does not document (`*` in the list matches any one key). */
function undocumented(paths: string[], keys: string[] = documented): string[] {
  const patterns = keys.map(
    (key) => new RegExp(`^${key.replace(/[.[\]]/g, "\\$&").replace(/\*/g, "[^.\\[\\]]+")}$`),
  );
  return paths.filter((path) => !patterns.some((pattern) => pattern.test(path)));
}

const values = yaml.load(readFileSync(join(ARC, "values.yaml"), "utf8")) as Record<string, unknown> & {
  containerMode: { type: string };
  minRunners: number;
  maxRunners: number;
  template: { spec: { containers: { name: string; image?: string; resources?: unknown }[] } };
};

describe("ARC Helm values", () => {
  it("use only keys the chart documents", () => {
    const paths = keyPaths(values);
    expect(paths.length).toBeGreaterThan(20);
    expect(undocumented(paths)).toEqual([]);
  });

  it("the check catches a key the chart does not have (a typo, a key from another chart)", () => {
    const typo = { ...values, maxRunner: 4, template: { spec: { runtimeClass: "kata" } } };
    expect(undocumented(keyPaths(typo)).sort()).toEqual(["maxRunner", "template.spec.runtimeClass"]);
  });

  it("are Docker-in-Docker mode with min/max runners the chart accepts and a runner with resources", () => {
    expect(values.containerMode.type).toBe("dind");
    // The chart's own checks (templates/autoscalingrunnerset.yaml): both ≥ 0, max ≥ min.
    expect(Number.isInteger(values.minRunners) && values.minRunners >= 0).toBe(true);
    expect(values.maxRunners).toBeGreaterThanOrEqual(values.minRunners);
    const runner = values.template.spec.containers.find((c) => c.name === "runner");
    expect(runner?.image).toMatch(/arc-runner/);
    expect(runner?.resources).toMatchObject({
      requests: { cpu: expect.anything(), memory: expect.anything() },
    });
  });

  it("the RuntimeClass option is a key the chart passes to the pod", () => {
    const text = readFileSync(join(ARC, "values.yaml"), "utf8");
    const option = /^\s*#\s*(runtimeClassName): \S+/m.exec(text);
    expect(option?.[1]).toBe("runtimeClassName");
    expect(undocumented(["template.spec.runtimeClassName"])).toEqual([]);
  });

  it("the runner image has the actions-runner shape the chart's dind sidecar expects", () => {
    const dockerfile = readFileSync(join(ARC, "Dockerfile"), "utf8");
    // The sidecar runs dockerd --group=$(DOCKER_GROUP_GID) with 123; the runner user is 1001.
    expect(dockerfile).toMatch(/groupadd --gid 123 docker/);
    expect(dockerfile).toMatch(/--uid 1001 .*runner/);
    expect(dockerfile).toMatch(/^FROM debian:bookworm-slim$/m);
  });
});
