import * as yaml from "js-yaml";

/** Config files are small; anything bigger is a mistake or an attack. */
export const MAX_YAML_BYTES = 64 * 1024;
/** Values visited with aliases expanded; an alias bomb passes this long before memory runs out. */
export const MAX_YAML_NODES = 10_000;

export class YamlInputError extends Error {}

function countNodes(value: unknown, budget: { left: number }): void {
  if (--budget.left < 0) {
    throw new YamlInputError(
      `the YAML expands to more than ${MAX_YAML_NODES} values (an alias bomb?); write the config out without nested aliases`,
    );
  }
  if (Array.isArray(value)) for (const item of value) countNodes(item, budget);
  else if (value !== null && typeof value === "object")
    for (const item of Object.values(value)) countNodes(item, budget);
}

/**
 * Loads one YAML document with the core schema (no custom tags), bounded in size and in expansion.
 * An empty file, or one holding only comments, is `undefined`.
 */
export function loadYamlSafely(text: string): unknown {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    throw new YamlInputError(
      `the file is larger than ${MAX_YAML_BYTES / 1024} KiB; a config this size is not expected`,
    );
  }
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.message : String(error);
    throw new YamlInputError(`the file is not valid YAML: ${reason}`);
  }
  // A trailing '---' opens an empty document; only documents with content count as extra.
  const filled = documents.filter((document) => document !== null && document !== undefined);
  if (filled.length > 1) {
    throw new YamlInputError(
      `the file holds ${filled.length} YAML documents; keep one (remove the extra '---')`,
    );
  }
  const value = filled[0];
  countNodes(value, { left: MAX_YAML_NODES });
  return value;
}
