// Regenerates the committed JSON Schema from the zod config schema: `npm run schema`.
import { writeFile } from "node:fs/promises";
import { CONFIG_JSON_SCHEMA_FILE, configJsonSchema } from "../core/config-json-schema.ts";

await writeFile(CONFIG_JSON_SCHEMA_FILE, configJsonSchema());
console.log(`wrote ${CONFIG_JSON_SCHEMA_FILE}`);
