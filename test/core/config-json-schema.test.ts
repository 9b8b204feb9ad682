import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchema } from "../../core/config-json-schema.ts";

describe("committed JSON Schema", () => {
  it("matches the zod schema", () => {
    const committed = readFileSync(new URL(`../../${CONFIG_JSON_SCHEMA_FILE}`, import.meta.url), "utf8");
    expect(
      committed === configJsonSchema(),
      `${CONFIG_JSON_SCHEMA_FILE} is stale: run \`npm run schema\``,
    ).toBe(true);
  });

  it("describes what a user writes: shorthands are allowed and defaults are optional", () => {
    const schema = JSON.parse(configJsonSchema());
    expect(schema.title).toBe("inhouse repository configuration (.github/agent.yml)");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(schema.properties.commands.properties.setup.anyOf).toHaveLength(2);
    expect(schema.properties.permissions.properties.minimum.enum).toEqual(["write", "maintain", "admin"]);
  });
});
