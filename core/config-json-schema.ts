import { z } from "zod";
import { ConfigSchema } from "./config-schema.ts";

/** Where the JSON Schema for editors is committed (`# yaml-language-server: $schema=...`). */
export const CONFIG_JSON_SCHEMA_FILE = "core/agent-config.schema.json";

/** The JSON Schema of what a user may write in `.github/agent.yml`, derived from the zod schema. */
export function configJsonSchema(): string {
  const schema = z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" });
  const titled = { title: "inhouse repository configuration (.github/agent.yml)", ...schema };
  return `${JSON.stringify(titled, null, 2)}\n`;
}
