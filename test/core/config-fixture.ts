import { readFileSync } from "node:fs";

/** Reads a YAML file from `test/fixtures/config/`. */
export function configFixture(name: string): string {
  return readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), "utf8");
}
